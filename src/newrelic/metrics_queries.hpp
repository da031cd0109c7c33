// NRQL for /improve: which event type a service reports, per-endpoint statistics, SLO counts, the
// slowest traces of an endpoint and the list of services. Pure. Every aggregate is aliased so the
// parser reads fixed keys; every name goes through nrql_quote; windows are absolute epoch ms.
//
// APM services are read from `Transaction` (all transaction types, Web and Other: background jobs
// are endpoints too), OpenTelemetry services from `Span` rows with span.kind server or consumer
// (reference newrelic.md §3.1–3.2). Durations stay in the attribute's unit: seconds for
// Transaction.duration, milliseconds for Span duration.ms; thresholds are converted here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "newrelic/trace_queries.hpp"
#include "nra/analysis/incident_window.hpp"
#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

// `SELECT count(*) AS 'n' FROM <entry events of service>`: does the service report this kind?
Result<std::string> kind_probe_nrql(ServiceKind kind, std::string_view service, TimeWindow window);

struct EndpointStatsParams {
    double apdex_t_ms = 500;   // satisfied <= T, tolerating <= 4T, both only without an error
    double slow_ms = 0;        // > 0: also count requests slower than this ('slow')
    std::size_t limit = 5000;  // facets asked for (1..5000); as many rows back = maybe cut
};

// One row per endpoint (FACET name, busiest first): 'requests', 'rpm', 'avg', 'pct' (50/95/99),
// 'max', 'errors', 'satisfied', 'tolerating' and, when slow_ms > 0, 'slow'. Errors are
// `error IS TRUE` (APM) or `otel.status_code = 'ERROR'` (OTel); "good" is written as
// `(error IS FALSE OR error IS NULL)` so events without the attribute still count as good.
Result<std::string> endpoint_stats_nrql(
    ServiceKind kind, std::string_view service, const EndpointStatsParams& params, TimeWindow window
);

// How an SLO's endpoint glob reaches New Relic. `*` (or only stars): the whole service; no `*`
// or `?`: `name = '…'`; otherwise a LIKE prefilter (see like_prefilter) with FACET name, and the
// exact glob is applied by the caller to the facet names (LIKE is case-insensitive).
enum class EndpointFilter { whole_service, exact, faceted };
EndpointFilter endpoint_filter(const std::string& glob);

// `*` and `?` become `%` (NRQL documents no single-character wildcard), so the pattern matches
// a superset of the glob: `%` and `_` in names only widen it. Nullopt when the glob holds a
// backslash, whose meaning inside LIKE is undocumented: then the whole service is faceted.
std::optional<std::string> like_prefilter(const std::string& glob);

// 'valid', 'bad', 'recentValid', 'recentBad' over the SLO window, the recent ones for events at
// or after `recent_since_ms`. Bad = an error (availability) or duration > latency_ms (latency).
Result<std::string> slo_counts_nrql(
    ServiceKind kind, const SloSpec& slo, TimeWindow window, std::int64_t recent_since_ms
);

// `SELECT max(duration) AS 'slowest' … FACET traceId` (OTel: trace.id), slowest first. A FACET
// rather than a raw SELECT: NRQL orders facets by their first aggregate, so the `count` slowest
// distinct traces come back even when one trace has several matching events. APM reads
// Transaction (the same events as the statistics, so names match); its traceId is set whether or
// not the trace was sampled, so a caller may find no spans for an id and should try the next.
Result<std::string> slowest_traces_nrql(
    ServiceKind kind,
    std::string_view service,
    std::string_view endpoint,
    std::size_t count,
    TimeWindow window
);

// Trace ids per endpoint for /incident, one row per endpoint (FACET name, `name IN (…)`):
// 'failed' = filter(uniques(traceId, n), WHERE <error>), 'slow' = … WHERE (name = e AND duration
// > e's usual p99) OR …, 'typical' = up to 2 good requests at most e's usual median. NRQL's
// uniques() returns any n distinct values, not the slowest: each is above the endpoint's usual
// p99, which is what the sample needs. An error when the query would exceed 4 KB.
Result<std::string> window_samples_nrql(
    ServiceKind kind,
    std::string_view service,
    const std::vector<SampleEndpoint>& endpoints,
    int per_endpoint,
    TimeWindow window
);

// Services with traffic in the window, busiest first: FACET appName over Transaction (APM) or
// FACET service.name over server/consumer spans (OTel), 'requests' per service, LIMIT MAX.
std::string services_nrql(ServiceKind kind, TimeWindow window);

}  // namespace nra::newrelic
