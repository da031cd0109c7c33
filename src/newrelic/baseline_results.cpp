// read_baseline_results: recorded answers to the baseline query (baseline_queries.hpp) read
// defensively, as metrics_response.cpp reads /improve answers (reference
// newrelic.md §3.3): numbers may be strings, percentiles are objects keyed "50" or "50.0", null
// or missing values mean "no value", the facet is an array or only the attribute keys.
#include "newrelic/baseline_results.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "newrelic/nrql_rows.hpp"

namespace nra {
namespace {

using nrql_rows::count_of;
using nrql_rows::percentile;
using nrql_rows::percentiles_of;
using nrql_rows::text_of;

using Json = nlohmann::json;

constexpr std::size_t kMaxQuoted = 160;  // of New Relic's error text in our message

// The first line of `text`, cut to a length that fits in one message line.
std::string one_line(const std::string& text) {
    std::string out = text.substr(0, text.find_first_of("\r\n"));  // a lone CR ends a log line too
    if (out.size() <= kMaxQuoted) return out;
    std::size_t cut = kMaxQuoted;  // not inside a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) --cut;
    out.resize(cut);
    out += "…";
    return out;
}

// The asked key of a FACET CASES row: facet "c<i>" (a string or a one-element list).
std::optional<BaselineKey> case_of(const Json& row, const std::vector<BaselineKey>& cases) {
    const auto it = row.find("facet");
    if (it == row.end() || cases.empty()) return std::nullopt;
    const Json& facet = it->is_array() && it->size() == 1 ? it->front() : *it;
    if (!facet.is_string()) return std::nullopt;
    const auto& label = facet.get_ref<const std::string&>();
    if (label.size() < 2 || label.size() > 6 || label[0] != 'c') return std::nullopt;
    std::size_t i = 0;
    for (std::size_t k = 1; k < label.size(); ++k) {
        if (label[k] < '0' || label[k] > '9') return std::nullopt;
        i = i * 10 + static_cast<std::size_t>(label[k] - '0');
    }
    if (i >= cases.size()) return std::nullopt;
    return cases[i];
}

// (service, name[, callee]) of a row: "facet" [service, name, callee?], else the attributes
// themselves (and "callee" in recorded files).
std::optional<BaselineKey> key_of(const Json& row, const std::vector<BaselineKey>& cases) {
    if (auto asked = case_of(row, cases)) return asked;
    std::optional<std::string> service;
    std::optional<std::string> name;
    std::string callee;
    if (const auto it = row.find("facet"); it != row.end() && it->is_array() && it->size() >= 2) {
        service = text_of((*it)[0]);
        name = text_of((*it)[1]);
        if (it->size() >= 3) callee = text_of((*it)[2]).value_or("");
    }
    if (const auto it = row.find("callee"); callee.empty() && it != row.end()) {
        callee = text_of(*it).value_or("");
    }
    if (!service) {
        if (const auto it = row.find("entity.name"); it != row.end()) service = text_of(*it);
    }
    if (!name) {
        if (const auto it = row.find("name"); it != row.end()) name = text_of(*it);
    }
    if (!service || !name || service->empty() || name->empty()) return std::nullopt;
    if (!callee.empty() && callee_parts(callee).empty()) return std::nullopt;  // not one of ours
    return BaselineKey{std::move(*service), std::move(*name), std::move(callee)};
}

std::int64_t samples_of(const Json& row) {
    return row.contains("samples") ? count_of(row, "samples") : count_of(row, "count");
}

// Milliseconds (OTel duration.ms) when there is a value, else seconds (agent duration) × 1000.
std::optional<double> duration_ms(const Json* ms, const Json* s, double rank) {
    if (auto v = percentile(ms, rank)) return v;
    // Seconds near DBL_MAX overflow to infinity in milliseconds: no value, as for other junk.
    if (auto v = percentile(s, rank); v && std::isfinite(*v * 1000.0)) return *v * 1000.0;
    return std::nullopt;
}

BaselineStats stats_of(const Json& row, BaselineKey key) {
    const Json* ms = percentiles_of(row, {"ms", "percentile.duration.ms"});
    const Json* s = percentiles_of(row, {"s", "percentile.duration"});
    BaselineStats stats;
    stats.key = std::move(key);
    stats.count = samples_of(row);
    stats.p50_ms = duration_ms(ms, s, 50);
    stats.p90_ms = duration_ms(ms, s, 90);
    stats.p99_ms = duration_ms(ms, s, 99);
    return stats;
}

// A row of the baseline query carries a sample count or a percentile object.
bool is_baseline_row(const Json& row) {
    for (const char* key : {"samples", "count"}) {
        if (row.contains(key)) return true;
    }
    constexpr std::array<const char*, 4> kAliases{
        "ms", "s", "percentile.duration.ms", "percentile.duration"};
    return std::any_of(kAliases.begin(), kAliases.end(), [&row](const char* key) {
        const auto it = row.find(key);
        return it != row.end() && it->is_object();
    });
}

const Json* find_path(const Json& doc, std::initializer_list<const char*> path) {
    const Json* at = &doc;
    for (const char* step : path) {
        if (!at->is_object()) return nullptr;
        const auto it = at->find(step);
        if (it == at->end()) return nullptr;
        at = &*it;
    }
    return at;
}

// The rows of a NerdGraph response (account-scoped or cross-account), a {"results": …} object
// or a bare array.
Result<const Json*> rows_of(const Json& doc) {
    if (doc.is_array()) return &doc;
    if (!doc.is_object()) return make_error("the baseline answer is not a JSON object or list");
    for (const auto path : {
             std::initializer_list<const char*>{"data", "actor", "account", "nrql", "results"},
             std::initializer_list<const char*>{"data", "actor", "nrql", "results"},
             std::initializer_list<const char*>{"results"},
         }) {
        if (const Json* rows = find_path(doc, path); rows != nullptr && rows->is_array()) {
            return rows;
        }
    }
    const auto errors = doc.find("errors");
    if (errors != doc.end() && errors->is_array() && !errors->empty()) {
        const auto& first = errors->front();
        const auto message = first.is_object() ? first.find("message") : first.end();
        if (first.is_object() && message != first.end() && message->is_string()) {
            return make_error(
                "the baseline answer is an error: " + one_line(message->get<std::string>())
            );
        }
        return make_error("the baseline answer is an error");
    }
    return make_error("the baseline answer holds no list of results");
}

}  // namespace

Result<std::vector<BaselineStats>> read_baseline_results(std::string_view json) {
    return read_baseline_results(json, {});
}

Result<std::vector<BaselineStats>> read_baseline_results(
    std::string_view json, const std::vector<BaselineKey>& cases
) {
    const auto doc = Json::parse(json, nullptr, false);
    if (doc.is_discarded()) return make_error("the baseline answer is not valid JSON");
    auto rows = rows_of(doc);
    if (!rows) return make_error(rows.error());
    std::vector<BaselineStats> out;
    std::map<BaselineKey, std::size_t> index;
    std::size_t foreign = 0;  // rows of some other query (e.g. a trace's Span rows)
    for (const auto& row : **rows) {
        if (!row.is_object()) continue;
        if (!is_baseline_row(row)) {
            ++foreign;
            continue;
        }
        if (const auto c = row.find("comparison");
            c != row.end() && c->is_string() && c->get_ref<const std::string&>() != "current") {
            continue;  // the previous half of a COMPARE WITH answer
        }
        auto key = key_of(row, cases);
        if (!key) continue;
        auto stats = stats_of(row, *key);
        const auto [it, fresh] = index.emplace(std::move(*key), out.size());
        if (fresh) {
            out.push_back(std::move(stats));
        } else if (stats.count > out[it->second].count) {
            out[it->second] = std::move(stats);  // the same pair twice: the better-sampled row
        }
    }
    if (out.empty() && foreign > 0) {
        return make_error("its rows carry no sample counts or percentiles (is it a trace?)");
    }
    return out;
}

}  // namespace nra
