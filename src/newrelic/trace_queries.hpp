// NRQL and GraphQL documents for fetching one trace's spans. Pure. Trace ids must already be
// validated hex (is_query_safe_trace_id); they are still quoted with nrql_quote. NRQL travels in
// GraphQL variables, never spliced into the GraphQL text (reference newrelic.md §1.2).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nra/result.hpp"

namespace nra::newrelic {

struct TimeWindow {
    std::int64_t from_ms = 0;  // inclusive, epoch milliseconds
    std::int64_t to_ms = 0;    // exclusive
};

// `SELECT * FROM Span WHERE (trace.id IN (…) OR traceId IN (…)) [AND timestamp window]
//  SINCE … LIMIT MAX`. Error when an id is not query-safe.
Result<std::string> span_rows_nrql(
    const std::vector<std::string>& trace_ids,
    std::chrono::hours lookback,
    std::optional<TimeWindow> window
);

// `SELECT count(*) AS 'spans', min(timestamp) AS 'first', max(timestamp) AS 'last' …`: how many
// rows a trace has and over which milliseconds, to plan pages.
Result<std::string> span_stats_nrql(
    const std::vector<std::string>& trace_ids, std::chrono::hours lookback
);

// The JSON body of a NerdGraph request: account-scoped for one account, cross-account
// `actor { nrql(accounts: …) }` for several (at most accounts_per_query, 5 by default).
std::string nrql_request_body(
    const std::vector<std::int64_t>& accounts, const std::string& nrql, int timeout_s
);

}  // namespace nra::newrelic
