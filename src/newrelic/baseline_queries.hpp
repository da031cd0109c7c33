// NRQL for baselines: the usual durations of a trace's (service, span name) pairs over a window,
// in one FACET query per trace (and account group). Pure; every name goes through nrql_quote.
//
// Agent spans carry `duration` in seconds and `traceId`, OpenTelemetry spans `duration.ms` and
// `trace.id`; both carry `entity.name`, the span's service (reference newrelic.md §2.1), so the
// query asks both percentiles ('ms' and 's') and excludes the trace under both attributes. A `!=`
// against a missing attribute is false in NRQL, hence `(x IS NULL OR x != '…')`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newrelic/trace_queries.hpp"
#include "nra/analysis/baseline.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

inline constexpr std::size_t kMaxBaselineNrql = 4000;  // New Relic refuses queries of 4 KB or more

struct BaselineNrql {
    std::string nrql;                // shorter than kMaxBaselineNrql bytes
    std::vector<BaselineKey> asked;  // the keys the query covers, in the order given
};

// ` AND (trace.id IS NULL OR trace.id != '<id>') AND (traceId IS NULL OR traceId != '<id>')`, or
// "" when the id is not query-safe (is_query_safe_trace_id): this trace left out of a query.
std::string trace_exclusion(std::string_view trace_id);

// `SELECT count(*) AS 'samples', percentile(duration.ms, 50, 90, 99) AS 'ms',
// percentile(duration, 50, 90, 99) AS 's' FROM Span WHERE entity.name IN (…) AND name IN (…)
// [AND (trace.id IS NULL OR trace.id != '<id>') AND (traceId IS NULL OR traceId != '<id>')]
// FACET entity.name, name SINCE <from> UNTIL <to> LIMIT <services × names, at most 5,000>`.
// The IN lists facet a superset of the pairs (services × names): the caller keeps the asked ones.
// Keys are taken in order (most important first) until the next would make the text too long;
// repeated keys, empty names and names nrql_quote refuses are skipped. The trace is excluded only
// when `trace_id` is query-safe (is_query_safe_trace_id). Error when no key can be asked.
Result<BaselineNrql> baseline_nrql(
    const std::vector<BaselineKey>& keys, std::string_view trace_id, TimeWindow window
);

// Callee-keyed baselines (BaselineKey::callee): `SELECT count(*) AS 'samples', … FROM Span WHERE
// entity.name IN (…)[ AND <this trace left out>] FACET CASES (WHERE entity.name = '…' AND name =
// '…' AND <callee> AS 'c0', …) SINCE … UNTIL … LIMIT <cases>`, where <callee> is, for a
// database `(db.system = 'v' OR db.system.name = 'v' OR db.type = 'v') AND (db.name = 'd' OR
// db.namespace = 'd' OR db.instance = 'd')`, for a URL `(http.url LIKE '%shape%' OR url.full
// LIKE '%shape%' OR http.path LIKE '%shape%')` (each `*` of the shape a `%`), for a peer
// `(peer.hostname = 'h' OR server.address = 'h' OR net.peer.name = 'h' OR peer.service = 'h')`:
// every spelling the agents and OpenTelemetry use. `asked[i]` is the key of case `c<i>`. Keys
// without a callee, repeated or unquotable are skipped; keys are taken while the text stays
// under kMaxBaselineNrql. Error when none can be asked.
Result<BaselineNrql> callee_baseline_nrql(
    const std::vector<BaselineKey>& keys, std::string_view trace_id, TimeWindow window
);

}  // namespace nra::newrelic
