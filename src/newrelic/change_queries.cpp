#include "newrelic/change_queries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "newrelic/baseline_queries.hpp"
#include "newrelic/nrql_quote.hpp"
#include "newrelic/nrql_rows.hpp"

namespace nra::newrelic {
namespace {

using Json = nlohmann::json;
using nrql_rows::number_of;

constexpr std::size_t kMaxText = 300;     // of a description, changelog or user
constexpr std::size_t kMaxName = 256;     // of a service name or version
constexpr double kMaxTimestampMs = 1e15;  // anything later is junk
constexpr std::size_t kMaxTraceIdLength = 64;

Result<Json> rows_of(std::string_view rows_json) {
    auto rows = Json::parse(rows_json.empty() ? std::string_view("[]") : rows_json, nullptr, false);
    if (rows.is_discarded() || !rows.is_array()) {
        return make_error("the New Relic rows are not a JSON list");
    }
    return rows;
}

// The first non-empty string among `keys`, clipped to `max` bytes on a UTF-8 boundary.
std::string first_text(const Json& row, std::initializer_list<const char*> keys, std::size_t max) {
    for (const char* key : keys) {
        const auto it = row.find(key);
        if (it == row.end() || !it->is_string()) continue;
        std::string text = it->get<std::string>();
        if (text.empty()) continue;
        if (text.size() > max) {
            std::size_t cut = max;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
            text.resize(cut);
        }
        return text;
    }
    return {};
}

std::optional<double> first_number(const Json& row, const char* key) {
    const auto it = row.find(key);
    if (it == row.end()) return std::nullopt;
    const auto value = number_of(*it);
    if (!value || !std::isfinite(*value) || *value < 0) return std::nullopt;
    return value;
}

// A quoted IN list of `items`, taken in order while `budget` bytes last.
std::string in_list(const std::vector<std::string>& items, std::size_t& budget) {
    std::string out;
    for (const auto& item : items) {
        const auto quoted = nrql_quote(item);
        if (!quoted) continue;
        const std::size_t cost = quoted->size() + (out.empty() ? 0 : 2);
        if (cost > budget) break;
        budget -= cost;
        out += (out.empty() ? "" : ", ") + *quoted;
    }
    return out;
}

}  // namespace

Result<std::string> typical_candidates_nrql(const TypicalQuery& query) {
    if (query.service.empty() || query.name.empty()) {
        return make_error("a typical request needs the entry point's service and name");
    }
    const auto service = nrql_quote(query.service);
    const auto name = nrql_quote(query.name);
    if (!service || !name) return make_error("the entry point cannot be put into a query");
    auto nrql = fmt::format(
        "SELECT trace.id, traceId, duration.ms, duration FROM Span WHERE entity.name = {} AND "
        "name = {} AND error.class IS NULL AND (otel.status_code IS NULL OR otel.status_code != "
        "'ERROR'){} SINCE {} UNTIL {} LIMIT {}",
        *service,
        *name,
        trace_exclusion(query.trace_id),
        query.from_ms,
        query.to_ms,
        kTypicalSampleRows
    );
    if (nrql.size() >= kMaxBaselineNrql) return make_error("the entry point's name is too long");
    return nrql;
}

Result<std::vector<TypicalCandidate>> read_typical_candidates(
    std::string_view rows_json, std::string_view exclude_trace_id, std::size_t max
) {
    auto rows = rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    std::map<std::string, double> by_trace;
    for (const auto& row : *rows) {
        if (!row.is_object()) continue;
        auto id = first_text(row, {"trace.id", "traceId"}, kMaxTraceIdLength + 1);
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!is_query_safe_trace_id(id) || id == exclude_trace_id) continue;
        std::optional<double> ms = first_number(row, "duration.ms");
        if (!ms) {
            if (const auto s = first_number(row, "duration")) ms = *s * 1000.0;
        }
        if (!ms) continue;
        by_trace.emplace(id, *ms);
    }
    std::vector<TypicalCandidate> out;
    for (const auto& [id, ms] : by_trace) out.push_back({id, ms});
    return nearest_median(std::move(out), max);
}

std::vector<TypicalCandidate> nearest_median(
    std::vector<TypicalCandidate> candidates, std::size_t max
) {
    auto& out = candidates;
    if (out.empty()) return out;
    std::vector<double> durations;
    for (const auto& c : out) durations.push_back(c.duration_ms);
    std::nth_element(
        durations.begin(),
        durations.begin() + static_cast<std::ptrdiff_t>(durations.size() / 2),
        durations.end()
    );
    const double median = durations[durations.size() / 2];
    std::stable_sort(out.begin(), out.end(), [median](const auto& a, const auto& b) {
        return std::abs(a.duration_ms - median) < std::abs(b.duration_ms - median);
    });
    if (out.size() > max) out.resize(max);
    return out;
}

Result<std::string> deployments_nrql(const ChangeQuery& query, std::size_t limit) {
    const auto render = [&](const std::string& guids, const std::string& names) {
        std::string where;
        if (!guids.empty()) where = fmt::format("entity.guid IN ({})", guids);
        if (!names.empty()) {
            where += fmt::format(
                "{0}entity.name IN ({1}) OR appName IN ({1})", where.empty() ? "" : " OR ", names
            );
        }
        return fmt::format(
            "SELECT timestamp, entity.guid, entity.name, appName, version, deploymentId, "
            "description, changelog, user, category, type FROM Deployment, ChangeTrackingEvent "
            "WHERE ({}) SINCE {} UNTIL {} LIMIT {}",
            where,
            query.from_ms,
            query.to_ms,
            std::clamp<std::size_t>(limit, 1, 5000)
        );
    };
    // Room for the lists: the names appear twice, so they get a third, the GUIDs the rest.
    const std::size_t fixed = render("x", "x").size();
    if (fixed >= kMaxBaselineNrql) return make_error("the deployment query is too long");
    const std::size_t room = kMaxBaselineNrql - 1 - fixed;
    std::vector<std::string> guid_list;
    for (const auto& [guid, service] : query.guids) guid_list.push_back(guid);
    std::size_t name_budget = room / 3;
    const auto names = in_list(query.services, name_budget);
    std::size_t guid_budget = room - 2 * (room / 3 - name_budget);
    const auto guids = in_list(guid_list, guid_budget);
    if (guids.empty() && names.empty()) return make_error("no service to ask deployments for");
    auto nrql = render(guids, names);
    if (nrql.size() >= kMaxBaselineNrql) return make_error("the deployment query is too long");
    return nrql;
}

Result<std::vector<DeploymentEvent>> read_deployments(
    std::string_view rows_json, const std::vector<std::pair<std::string, std::string>>& guids
) {
    auto rows = rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    const std::map<std::string, std::string> service_of(guids.begin(), guids.end());
    std::vector<DeploymentEvent> out;
    for (const auto& row : *rows) {
        if (!row.is_object()) continue;
        const auto at = first_number(row, "timestamp");
        if (!at || *at > kMaxTimestampMs) continue;
        DeploymentEvent e;
        // The span's service name for a GUID of this trace (the entity may be named otherwise).
        const auto it = service_of.find(first_text(row, {"entity.guid"}, kMaxName));
        e.service = it != service_of.end() ? it->second
                                           : first_text(row, {"entity.name", "appName"}, kMaxName);
        if (e.service.empty()) continue;
        e.at_ms = std::llround(*at);
        e.version = first_text(row, {"version", "deploymentId"}, kMaxName);
        e.description = first_text(row, {"description", "changelog"}, kMaxText);
        e.user = first_text(row, {"user"}, kMaxText);
        e.kind = first_text(row, {"category", "type"}, kMaxName);
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.at_ms > b.at_ms;
    });
    return out;
}

}  // namespace nra::newrelic
