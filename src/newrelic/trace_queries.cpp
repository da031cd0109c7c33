#include "newrelic/trace_queries.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {
namespace {

constexpr const char* kSingleAccount =
    "query($accountId: Int!, $nrql: Nrql!, $timeout: Seconds) { actor { account(id: $accountId) "
    "{ nrql(query: $nrql, timeout: $timeout) { results } } } }";
constexpr const char* kCrossAccount =
    "query($accounts: [Int!]!, $nrql: Nrql!, $timeout: Seconds) { actor { nrql(accounts: "
    "$accounts, query: $nrql, timeout: $timeout) { results } } }";

// `(trace.id IN ('a', 'b') OR traceId IN ('a', 'b'))`: agent spans carry traceId, OpenTelemetry
// and Trace API spans trace.id (reference §2.1).
Result<std::string> trace_condition(const std::vector<std::string>& ids) {
    if (ids.empty()) return make_error("no trace id to query");
    std::string list;
    for (const auto& id : ids) {
        if (!is_query_safe_trace_id(id)) return make_error("not a valid trace id");
        auto quoted = nrql_quote(id);
        if (!quoted) return make_error(quoted.error());
        if (!list.empty()) list += ", ";
        list += *quoted;
    }
    return fmt::format("(trace.id IN ({0}) OR traceId IN ({0}))", list);
}

}  // namespace

Result<std::string> span_rows_nrql(
    const std::vector<std::string>& trace_ids,
    std::chrono::hours lookback,
    std::optional<TimeWindow> window
) {
    auto where = trace_condition(trace_ids);
    if (!where) return where;
    if (!window) {
        return fmt::format(
            "SELECT * FROM Span WHERE {} SINCE {} hours ago LIMIT MAX", *where, lookback.count()
        );
    }
    // The WHERE bounds are exact; SINCE/UNTIL (one millisecond wider) lets NRDB skip the rest.
    return fmt::format(
        "SELECT * FROM Span WHERE {} AND timestamp >= {} AND timestamp < {} SINCE {} UNTIL {} "
        "LIMIT MAX",
        *where,
        window->from_ms,
        window->to_ms,
        window->from_ms,
        window->to_ms + 1
    );
}

Result<std::string> span_stats_nrql(
    const std::vector<std::string>& trace_ids, std::chrono::hours lookback
) {
    auto where = trace_condition(trace_ids);
    if (!where) return where;
    return fmt::format(
        "SELECT count(*) AS 'spans', min(timestamp) AS 'first', max(timestamp) AS 'last' FROM "
        "Span WHERE {} SINCE {} hours ago",
        *where,
        lookback.count()
    );
}

std::string nrql_request_body(
    const std::vector<std::int64_t>& accounts, const std::string& nrql, int timeout_s
) {
    nlohmann::json body;
    nlohmann::json variables{{"nrql", nrql}, {"timeout", timeout_s}};
    if (accounts.size() == 1) {
        body["query"] = kSingleAccount;
        variables["accountId"] = accounts.front();
    } else {
        body["query"] = kCrossAccount;
        variables["accounts"] = accounts;
    }
    body["variables"] = std::move(variables);
    return body.dump();
}

}  // namespace nra::newrelic
