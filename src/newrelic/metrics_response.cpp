#include "newrelic/metrics_response.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "newrelic/nrql_rows.hpp"
#include "nra/edit_distance.hpp"

namespace nra::newrelic {
namespace {

using nrql_rows::count_of;
using nrql_rows::number_of;
using nrql_rows::percentile;
using nrql_rows::percentiles_of;
using nrql_rows::text_of;

using nlohmann::json;

Result<json> parse_rows(std::string_view rows_json) {
    if (rows_json.empty()) return json::array();  // no `results`: no rows
    auto doc = json::parse(rows_json, nullptr, false);
    if (doc.is_discarded() || !doc.is_array()) {
        return make_error("New Relic's results are not a list of rows");
    }
    return doc;
}

// Rows of the current window only: COMPARE WITH answers mark the others "previous".
bool is_current_row(const json& row) {
    if (!row.is_object()) return false;
    const auto it = row.find("comparison");
    return it == row.end() || !it->is_string() || it->get_ref<const std::string&>() == "current";
}

std::optional<double> field(const json& row, const std::string& key) {
    const auto it = row.find(key);
    return it == row.end() ? std::nullopt : number_of(*it);
}

std::optional<std::string> facet_of(const json& row, const std::string& attribute) {
    if (const auto it = row.find("facet"); it != row.end()) {
        if (it->is_array() && !it->empty()) return text_of(it->front());
        if (auto text = text_of(*it)) return text;
    }
    if (const auto it = row.find(attribute); it != row.end()) return text_of(*it);
    return std::nullopt;
}

std::optional<double> scaled(std::optional<double> v, double factor) {
    if (v) *v *= factor;
    return v;
}

EndpointStats endpoint_of(const json& row, std::string name, ServiceKind kind) {
    const double ms = kind == ServiceKind::apm ? 1000.0 : 1.0;
    EndpointStats s;
    s.name = std::move(name);
    s.count = count_of(row, "requests");
    s.throughput_rpm = field(row, "rpm").value_or(0.0);
    s.avg_ms = scaled(field(row, "avg"), ms);
    s.max_ms = scaled(field(row, "max"), ms);
    const json* pct = kind == ServiceKind::apm
                          ? percentiles_of(row, {"pct", "percentile.duration"})
                          : percentiles_of(row, {"pct", "percentile.duration.ms"});
    s.p50_ms = scaled(percentile(pct, 50), ms);
    s.p95_ms = scaled(percentile(pct, 95), ms);
    s.p99_ms = scaled(percentile(pct, 99), ms);
    s.errors = count_of(row, "errors");
    s.satisfied = count_of(row, "satisfied");
    s.tolerating = count_of(row, "tolerating");
    s.slow = count_of(row, "slow");
    return s;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

Result<std::int64_t> parse_total(std::string_view rows_json, std::string_view key) {
    auto rows = parse_rows(rows_json);
    if (!rows) return make_error(rows.error());
    std::int64_t total = 0;
    for (const auto& row : *rows) {
        if (is_current_row(row)) total += count_of(row, std::string(key));
    }
    return total;
}

Result<EndpointRows> parse_endpoint_stats(std::string_view rows_json, ServiceKind kind) {
    auto rows = parse_rows(rows_json);
    if (!rows) return make_error(rows.error());
    EndpointRows out;
    for (const auto& row : *rows) {
        if (!is_current_row(row)) continue;
        ++out.rows;
        auto name = facet_of(row, "name");
        if (name) out.endpoints.push_back(endpoint_of(row, std::move(*name), kind));
    }
    return out;
}

Result<std::vector<NamedCounts>> parse_slo_counts(std::string_view rows_json) {
    auto rows = parse_rows(rows_json);
    if (!rows) return make_error(rows.error());
    std::vector<NamedCounts> out;
    for (const auto& row : *rows) {
        if (!is_current_row(row)) continue;
        NamedCounts c;
        c.name = facet_of(row, "name").value_or("");
        c.counts.total = count_of(row, "valid");
        c.counts.bad = count_of(row, "bad");
        c.counts.recent_total = count_of(row, "recentValid");
        c.counts.recent_bad = count_of(row, "recentBad");
        out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<FacetValue>> parse_facet_values(
    std::string_view rows_json, std::string_view key, std::string_view attribute
) {
    auto rows = parse_rows(rows_json);
    if (!rows) return make_error(rows.error());
    std::vector<FacetValue> out;
    for (const auto& row : *rows) {
        if (!is_current_row(row)) continue;
        auto name = facet_of(row, std::string(attribute));
        if (!name || name->empty()) continue;
        out.push_back({std::move(*name), field(row, std::string(key)).value_or(0.0)});
    }
    return out;
}

Result<std::vector<WindowSample>> parse_window_samples(std::string_view rows_json) {
    auto rows = parse_rows(rows_json);
    if (!rows) return make_error(rows.error());
    using Reason = WindowSample::Reason;
    static constexpr std::pair<const char*, Reason> kKeys[] = {
        {"failed", Reason::failed}, {"slow", Reason::slow}, {"typical", Reason::typical}};
    std::vector<WindowSample> out;
    for (const auto& row : *rows) {
        if (!is_current_row(row)) continue;
        auto name = facet_of(row, "name");
        if (!name || name->empty()) continue;
        for (const auto& [key, reason] : kKeys) {
            const auto it = row.find(key);
            if (it == row.end() || !it->is_array()) continue;
            for (const auto& id : *it) {
                if (id.is_string())
                    out.push_back(WindowSample{reason, *name, id.get<std::string>()});
            }
        }
    }
    return out;
}

void merge_endpoint_stats(
    std::vector<EndpointStats>& into, const std::vector<EndpointStats>& more
) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < into.size(); ++i) index.emplace(into[i].name, i);
    for (const auto& m : more) {
        const auto it = index.find(m.name);
        if (it == index.end()) {
            index.emplace(m.name, into.size());
            into.push_back(m);
            continue;
        }
        auto& a = into[it->second];
        const auto total = a.count + m.count;
        if (a.avg_ms && m.avg_ms && total > 0) {
            a.avg_ms = (*a.avg_ms * double(a.count) + *m.avg_ms * double(m.count)) / double(total);
        } else if (!a.avg_ms) {
            a.avg_ms = m.avg_ms;
        }
        if (m.count > a.count || !a.p95_ms) {
            a.p50_ms = m.p50_ms;
            a.p95_ms = m.p95_ms;
            a.p99_ms = m.p99_ms;
        }
        if (m.max_ms && (!a.max_ms || *m.max_ms > *a.max_ms)) a.max_ms = m.max_ms;
        a.count = total;
        a.throughput_rpm += m.throughput_rpm;
        a.errors += m.errors;
        a.satisfied += m.satisfied;
        a.tolerating += m.tolerating;
        a.slow += m.slow;
    }
    std::stable_sort(into.begin(), into.end(), [](const auto& x, const auto& y) {
        return x.count > y.count;
    });
}

std::vector<std::string> similar_names(
    std::string_view wanted, const std::vector<std::string>& names, std::size_t max
) {
    const auto want = lower(wanted);
    const std::size_t budget = std::max<std::size_t>(2, want.size() / 3);
    std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (score, index into names)
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto name = lower(names[i]);
        if (name.empty() || want.empty()) continue;
        std::size_t score = 0;
        if (name == want) {
            score = 0;
        } else if (name.find(want) != std::string::npos || want.find(name) != std::string::npos) {
            score = 1;
        } else if (const auto d = edit_distance(want, name); d <= budget) {
            score = 1 + d;
        } else {
            continue;
        }
        ranked.emplace_back(score, i);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    std::vector<std::string> out;
    for (const auto& [score, i] : ranked) {
        if (out.size() >= max) break;
        if (names[i] != wanted) out.push_back(names[i]);
    }
    return out;
}

}  // namespace nra::newrelic
