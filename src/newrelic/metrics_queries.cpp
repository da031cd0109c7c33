#include "newrelic/metrics_queries.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {
namespace {

constexpr std::size_t kMaxNrqlLength = 4000;  // New Relic refuses queries of 4 KB and more

// The NRQL vocabulary of one kind of service.
struct Vocabulary {
    const char* from;          // FROM … WHERE <service> = {} …: the entry events of one service
    const char* duration;      // attribute
    double ms_per_unit;        // 1000 for seconds
    const char* error;         // condition of a failed request
    const char* good;          // condition of a request without error (null counts as no error)
    const char* trace_id;      // attribute
    const char* all_services;  // FROM … [WHERE …] without a service
    const char* service_attr;
};

constexpr Vocabulary kApm{
    "FROM Transaction WHERE appName = {}",
    "duration",
    1000.0,
    "error IS TRUE",
    "(error IS FALSE OR error IS NULL)",
    "traceId",
    "FROM Transaction",
    "appName",
};

constexpr Vocabulary kOtel{
    "FROM Span WHERE service.name = {} AND span.kind IN ('server', 'consumer')",
    "duration.ms",
    1.0,
    "otel.status_code = 'ERROR'",
    "(otel.status_code IS NULL OR otel.status_code != 'ERROR')",
    "trace.id",
    "FROM Span WHERE span.kind IN ('server', 'consumer')",
    "service.name",
};

const Vocabulary& vocabulary(ServiceKind kind) {
    return kind == ServiceKind::apm ? kApm : kOtel;
}

// A threshold in the attribute's unit, without exponent notation (NRQL literals are plain).
std::string number(double ms, const Vocabulary& v) {
    std::string text = fmt::format("{:.6f}", ms / v.ms_per_unit);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

std::string since_until(TimeWindow window) {
    return fmt::format("SINCE {} UNTIL {}", window.from_ms, window.to_ms);
}

Result<std::string> from_service(const Vocabulary& v, std::string_view service) {
    auto quoted = nrql_quote(service);
    if (!quoted) return make_error(fmt::format("not a valid service name: {}", quoted.error()));
    return fmt::format(fmt::runtime(v.from), *quoted);
}

Result<std::string> checked(std::string nrql) {
    if (nrql.size() >= kMaxNrqlLength) return make_error("the name is too long for a query");
    return nrql;
}

bool valid_threshold(double ms) {
    return std::isfinite(ms) && ms > 0;
}

}  // namespace

Result<std::string> kind_probe_nrql(ServiceKind kind, std::string_view service, TimeWindow window) {
    auto from = from_service(vocabulary(kind), service);
    if (!from) return from;
    return checked(fmt::format("SELECT count(*) AS 'n' {} {}", *from, since_until(window)));
}

Result<std::string> endpoint_stats_nrql(
    ServiceKind kind, std::string_view service, const EndpointStatsParams& params, TimeWindow window
) {
    const auto& v = vocabulary(kind);
    auto from = from_service(v, service);
    if (!from) return from;
    if (!valid_threshold(params.apdex_t_ms)) return make_error("Apdex T must be above 0 ms");
    const auto* d = v.duration;
    const auto t = number(params.apdex_t_ms, v);
    const auto t4 = number(params.apdex_t_ms * 4, v);
    std::string select = fmt::format(
        "count(*) AS 'requests', rate(count(*), 1 minute) AS 'rpm', average({0}) AS 'avg', "
        "percentile({0}, 50, 95, 99) AS 'pct', max({0}) AS 'max', filter(count(*), WHERE {1}) "
        "AS 'errors', filter(count(*), WHERE {2} AND {0} <= {3}) AS 'satisfied', "
        "filter(count(*), WHERE {2} AND {0} > {3} AND {0} <= {4}) AS 'tolerating'",
        d,
        v.error,
        v.good,
        t,
        t4
    );
    if (valid_threshold(params.slow_ms)) {
        select += fmt::format(
            ", filter(count(*), WHERE {} > {}) AS 'slow'", d, number(params.slow_ms, v)
        );
    }
    const auto limit = std::clamp<std::size_t>(params.limit, 1, kNrqlLimitMax);
    return checked(fmt::format(
        "SELECT {} {} FACET name {} LIMIT {}", select, *from, since_until(window), limit
    ));
}

EndpointFilter endpoint_filter(const std::string& glob) {
    if (glob.find_first_not_of('*') == std::string::npos) return EndpointFilter::whole_service;
    if (glob.find_first_of("*?") == std::string::npos) return EndpointFilter::exact;
    return EndpointFilter::faceted;
}

std::optional<std::string> like_prefilter(const std::string& glob) {
    if (glob.find('\\') != std::string::npos) return std::nullopt;
    std::string out;
    for (const char c : glob) {
        const bool wild = c == '*' || c == '?';
        if (wild && !out.empty() && out.back() == '%') continue;
        out.push_back(wild ? '%' : c);
    }
    return out;
}

Result<std::string> slo_counts_nrql(
    ServiceKind kind, const SloSpec& slo, TimeWindow window, std::int64_t recent_since_ms
) {
    const auto& v = vocabulary(kind);
    auto from = from_service(v, slo.service);
    if (!from) return from;
    std::string bad = v.error;
    if (slo.kind == SloKind::latency) {
        if (!valid_threshold(slo.latency_ms)) return make_error("the latency SLO has no threshold");
        bad = fmt::format("{} > {}", v.duration, number(slo.latency_ms, v));
    }
    std::string where = *from;
    const auto filter = endpoint_filter(slo.endpoint);
    if (filter != EndpointFilter::whole_service) {
        const auto pattern = filter == EndpointFilter::exact ? std::optional(slo.endpoint)
                                                             : like_prefilter(slo.endpoint);
        if (pattern) {
            auto quoted = nrql_quote(*pattern);
            if (!quoted) return make_error(fmt::format("not a valid endpoint: {}", quoted.error()));
            const auto* op = filter == EndpointFilter::exact ? "=" : "LIKE";
            where += fmt::format(" AND name {} {}", op, *quoted);
        }
    }
    const bool faceted = filter == EndpointFilter::faceted;
    return checked(fmt::format(
        "SELECT count(*) AS 'valid', filter(count(*), WHERE {0}) AS 'bad', filter(count(*), "
        "WHERE timestamp >= {1}) AS 'recentValid', filter(count(*), WHERE timestamp >= {1} AND "
        "{0}) AS 'recentBad' {2}{3} {4}{5}",
        bad,
        recent_since_ms,
        where,
        faceted ? " FACET name" : "",
        since_until(window),
        faceted ? fmt::format(" LIMIT {}", kNrqlLimitMax) : std::string()
    ));
}

Result<std::string> slowest_traces_nrql(
    ServiceKind kind,
    std::string_view service,
    std::string_view endpoint,
    std::size_t count,
    TimeWindow window
) {
    const auto& v = vocabulary(kind);
    auto from = from_service(v, service);
    if (!from) return from;
    auto name = nrql_quote(endpoint);
    if (!name) return make_error(fmt::format("not a valid endpoint: {}", name.error()));
    return checked(fmt::format(
        "SELECT max({0}) AS 'slowest' {1} AND name = {2} AND {3} IS NOT NULL FACET {3} {4} "
        "LIMIT {5}",
        v.duration,
        *from,
        *name,
        v.trace_id,
        since_until(window),
        std::clamp<std::size_t>(count, 1, kNrqlLimitMax)
    ));
}

Result<std::string> window_samples_nrql(
    ServiceKind kind,
    std::string_view service,
    const std::vector<SampleEndpoint>& endpoints,
    int per_endpoint,
    TimeWindow window
) {
    const auto& v = vocabulary(kind);
    auto from = from_service(v, service);
    if (!from) return from;
    if (endpoints.empty()) return make_error("no endpoint to sample");
    std::vector<std::string> names, slow, typical;
    for (const auto& e : endpoints) {
        auto name = nrql_quote(e.name);
        if (!name) return make_error(fmt::format("not a valid endpoint: {}", name.error()));
        names.push_back(*name);
        if (e.slow_above_ms && valid_threshold(*e.slow_above_ms)) {
            slow.push_back(fmt::format(
                "(name = {} AND {} > {})", *name, v.duration, number(*e.slow_above_ms, v)
            ));
        }
        if (e.typical_below_ms && valid_threshold(*e.typical_below_ms)) {
            typical.push_back(fmt::format(
                "(name = {} AND {} <= {})", *name, v.duration, number(*e.typical_below_ms, v)
            ));
        }
    }
    const int n = std::clamp(per_endpoint, 1, 20);
    std::string select = fmt::format(
        "count(*) AS 'requests', filter(uniques({0}, {1}), WHERE {2}) AS 'failed'",
        v.trace_id,
        n,
        v.error
    );
    if (!slow.empty()) {
        select += fmt::format(
            ", filter(uniques({}, {}), WHERE {}) AS 'slow'", v.trace_id, n, fmt::join(slow, " OR ")
        );
    }
    if (!typical.empty()) {
        select += fmt::format(
            ", filter(uniques({}, 2), WHERE {} AND ({})) AS 'typical'",
            v.trace_id,
            v.good,
            fmt::join(typical, " OR ")
        );
    }
    return checked(fmt::format(
        "SELECT {} {} AND name IN ({}) FACET name {} LIMIT {}",
        select,
        *from,
        fmt::join(names, ", "),
        since_until(window),
        endpoints.size()
    ));
}

std::string services_nrql(ServiceKind kind, TimeWindow window) {
    const auto& v = vocabulary(kind);
    return fmt::format(
        "SELECT count(*) AS 'requests' {} FACET {} {} LIMIT {}",
        v.all_services,
        v.service_attr,
        since_until(window),
        kNrqlLimitMax
    );
}

}  // namespace nra::newrelic
