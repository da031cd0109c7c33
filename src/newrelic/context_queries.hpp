// NRQL for the incident context of a trace (ContextSource): its log lines (`Log` events, logs in
// context) and the counts behind its blast radius (`Span` events of the subject). Pure; trace ids
// must pass is_query_safe_trace_id, every name goes through nrql_quote, every query is shorter
// than kMaxBaselineNrql (New Relic refuses 4 KB).
//
// Logs carry the trace under `trace.id`/`span.id` (APM logs in context, OTLP) or, from some
// OpenTelemetry pipelines, `trace_id`/`span_id` or `traceId`/`spanId` (reference incident.md):
// the query accepts every spelling. Spans are counted as baseline_queries.hpp does: `entity.name`
// and `name`, agent `duration` in seconds, OpenTelemetry `duration.ms`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "newrelic/trace_queries.hpp"
#include "nra/analysis/incident_context.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

// `SELECT timestamp, message, level, log.level, severity.text, span.id, span_id, spanId,
// entity.name, service.name FROM Log WHERE (trace.id = 'X' OR trace_id = 'X' OR traceId = 'X')
// [AND (level IN (…) OR log.level IN (…) OR severity.text IN (…))] SINCE <from> UNTIL <to>
// LIMIT <limit>`; `severe_only` keeps errors and warnings (kSevereLevels). `limit` is clamped to
// 1..kMaxLogLines. Error when the trace id is not query-safe.
Result<std::string> log_lines_nrql(
    std::string_view trace_id, TimeWindow window, std::size_t limit, bool severe_only
);

// The spellings of error and warning levels the severe-only query asks for.
inline constexpr const char* kSevereLevels[] = {
    "ERROR",
    "error",
    "Error",
    "WARN",
    "warn",
    "Warn",
    "WARNING",
    "warning",
    "Warning",
    "FATAL",
    "fatal",
    "CRITICAL",
    "critical",
    "SEVERE",
    "severe",
};

// The WHERE condition a matching span of the subject meets, with `threshold_ms` for slowness:
// failure → `error.class = '…'`, else `(error.message = '…' OR otel.status_description = '…')`,
// else `(error.class IS NOT NULL OR otel.status_code = 'ERROR')`; slowness →
// `(duration.ms > X OR duration > X/1000)`. Error when a text cannot be quoted.
Result<std::string> blast_match(const BlastSubject& subject, double threshold_ms);

// `SELECT count(*) AS 'total', filter(count(*), WHERE <match>) AS 'matching' FROM Span WHERE
// entity.name = '…' AND name = '…' SINCE <from> UNTIL <to> TIMESERIES <bucket> minutes`.
Result<std::string> blast_series_nrql(
    const BlastSubject& subject, double threshold_ms, TimeWindow window, int bucket_minutes
);

// `SELECT filter(uniqueCount(enduser.id), WHERE <match>) AS 'users', filter(count(enduser.id),
// WHERE <match>) AS 'with_user' FROM Span WHERE … SINCE <from> UNTIL <to>`.
Result<std::string> blast_users_nrql(
    const BlastSubject& subject, double threshold_ms, TimeWindow window
);

// `SELECT percentile(duration.ms, 99) AS 'ms', percentile(duration, 99) AS 's' FROM Span WHERE
// entity.name = '…' AND name = '…' SINCE <from> UNTIL <to>`: the subject's usual p99.
Result<std::string> subject_p99_nrql(const BlastSubject& subject, TimeWindow window);

}  // namespace nra::newrelic
