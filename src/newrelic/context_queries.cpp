#include "newrelic/context_queries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "newrelic/baseline_queries.hpp"
#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {
namespace {

// A plain nrql_decimal (no exponent, at most `decimals` places, no trailing zeros): NRQL reads it.
std::string nrql_decimal(double value, int decimals) {
    auto text = fmt::format("{:.{}f}", value, decimals);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

Result<std::string> sized_context_nrql(std::string nrql) {
    if (nrql.size() >= kMaxBaselineNrql) return make_error("the query would be too long");
    return nrql;
}

std::string severe_log_condition() {
    std::string list;
    for (const char* level : kSevereLevels) {
        if (!list.empty()) list += ", ";
        list += fmt::format("'{}'", level);
    }
    return fmt::format(
        " AND (level IN ({0}) OR log.level IN ({0}) OR severity.text IN ({0}))", list
    );
}

// `entity.name = '…' AND name = '…'`, or an error naming what could not be quoted.
Result<std::string> blast_subject_condition(const BlastSubject& subject) {
    if (subject.service.empty() || subject.name.empty()) {
        return make_error("the blast radius needs a service and a span name");
    }
    const auto service = nrql_quote(subject.service);
    if (!service) return make_error("the service name cannot be put into a query");
    const auto name = nrql_quote(subject.name);
    if (!name) return make_error("the span name cannot be put into a query");
    return fmt::format("entity.name = {} AND name = {}", *service, *name);
}

Result<std::string> blast_failure_match(const BlastSubject& subject) {
    if (!subject.error_class.empty()) {
        const auto quoted = nrql_quote(subject.error_class);
        if (!quoted) return make_error("the error class cannot be put into a query");
        // OpenTelemetry spans name the class error.type (semantic conventions).
        return fmt::format("(error.class = {0} OR error.type = {0})", *quoted);
    }
    if (!subject.error_message.empty()) {
        const auto quoted = nrql_quote(subject.error_message);
        if (!quoted) return make_error("the error message cannot be put into a query");
        return fmt::format("(error.message = {0} OR otel.status_description = {0})", *quoted);
    }
    return std::string(
        "(error.class IS NOT NULL OR error.type IS NOT NULL OR otel.status_code = 'ERROR')"
    );
}

}  // namespace

Result<std::string> log_lines_nrql(
    std::string_view trace_id, TimeWindow window, std::size_t limit, bool severe_only
) {
    if (!is_query_safe_trace_id(trace_id)) return make_error("the trace id is not valid");
    return sized_context_nrql(fmt::format(
        "SELECT timestamp, message, level, log.level, severity.text, span.id, span_id, spanId, "
        "entity.name, service.name FROM Log WHERE (trace.id = '{0}' OR trace_id = '{0}' OR "
        "traceId = '{0}'){1} SINCE {2} UNTIL {3} LIMIT {4}",
        trace_id,
        severe_only ? severe_log_condition() : std::string(),
        window.from_ms,
        window.to_ms,
        std::clamp<std::size_t>(limit, 1, kMaxLogLines)
    ));
}

Result<std::string> blast_match(const BlastSubject& subject, double threshold_ms) {
    if (subject.match == BlastSubject::Match::failure) return blast_failure_match(subject);
    if (!std::isfinite(threshold_ms) || threshold_ms <= 0 || threshold_ms > 1e12) {
        return make_error("no duration to compare the requests with");
    }
    return fmt::format(
        "(duration.ms > {} OR duration > {})",
        nrql_decimal(threshold_ms, 3),
        nrql_decimal(threshold_ms / 1000.0, 6)
    );
}

Result<std::string> blast_series_nrql(
    const BlastSubject& subject, double threshold_ms, TimeWindow window, int bucket_minutes
) {
    const auto where = blast_subject_condition(subject);
    if (!where) return make_error(where.error());
    const auto match = blast_match(subject, threshold_ms);
    if (!match) return make_error(match.error());
    return sized_context_nrql(fmt::format(
        "SELECT count(*) AS 'total', filter(count(*), WHERE {}) AS 'matching' FROM Span WHERE {} "
        "SINCE {} UNTIL {} TIMESERIES {} {}",
        *match,
        *where,
        window.from_ms,
        window.to_ms,
        std::max(1, bucket_minutes),
        bucket_minutes > 1 ? "minutes" : "minute"
    ));
}

Result<std::string> blast_users_nrql(
    const BlastSubject& subject, double threshold_ms, TimeWindow window
) {
    const auto where = blast_subject_condition(subject);
    if (!where) return make_error(where.error());
    const auto match = blast_match(subject, threshold_ms);
    if (!match) return make_error(match.error());
    return sized_context_nrql(fmt::format(
        "SELECT filter(uniqueCount(enduser.id), WHERE {0}) AS 'users', filter(count(enduser.id), "
        "WHERE {0}) AS 'with_user' FROM Span WHERE {1} SINCE {2} UNTIL {3}",
        *match,
        *where,
        window.from_ms,
        window.to_ms
    ));
}

Result<std::string> subject_p99_nrql(const BlastSubject& subject, TimeWindow window) {
    const auto where = blast_subject_condition(subject);
    if (!where) return make_error(where.error());
    return sized_context_nrql(fmt::format(
        "SELECT percentile(duration.ms, 99) AS 'ms', percentile(duration, 99) AS 's' FROM Span "
        "WHERE {} SINCE {} UNTIL {}",
        *where,
        window.from_ms,
        window.to_ms
    ));
}

}  // namespace nra::newrelic
