// The /improve NRQL: exact text per service kind, units, aliases, windows, limits, escaping.
#include "newrelic/metrics_queries.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace metrics_queries_test {

using namespace nra;
using namespace nra::newrelic;

namespace {

const TimeWindow kWindow{1'700'000'000'000, 1'700'604'800'000};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the kind probe counts entry events of one service") {
    CHECK(
        kind_probe_nrql(ServiceKind::apm, "checkout", kWindow).value() ==
        "SELECT count(*) AS 'n' FROM Transaction WHERE appName = 'checkout' SINCE 1700000000000 "
        "UNTIL 1700604800000"
    );
    CHECK(
        kind_probe_nrql(ServiceKind::otel, "checkout", kWindow).value() ==
        "SELECT count(*) AS 'n' FROM Span WHERE service.name = 'checkout' AND span.kind IN "
        "('server', 'consumer') SINCE 1700000000000 UNTIL 1700604800000"
    );
}

TEST_CASE("APM endpoint statistics: seconds, error-aware Apdex counts, every aggregate aliased") {
    EndpointStatsParams p;
    p.apdex_t_ms = 500;
    p.limit = 200;
    const auto q = endpoint_stats_nrql(ServiceKind::apm, "checkout", p, kWindow).value();
    CHECK(
        q ==
        "SELECT count(*) AS 'requests', rate(count(*), 1 minute) AS 'rpm', average(duration) AS "
        "'avg', percentile(duration, 50, 95, 99) AS 'pct', max(duration) AS 'max', "
        "filter(count(*), WHERE error IS TRUE) AS 'errors', filter(count(*), WHERE (error IS "
        "FALSE OR error IS NULL) AND duration <= 0.5) AS 'satisfied', filter(count(*), WHERE "
        "(error IS FALSE OR error IS NULL) AND duration > 0.5 AND duration <= 2) AS "
        "'tolerating' FROM Transaction WHERE appName = 'checkout' FACET name SINCE 1700000000000 "
        "UNTIL 1700604800000 LIMIT 200"
    );
    CHECK_FALSE(contains(q, "'slow'"));
}

TEST_CASE("OTel endpoint statistics: milliseconds, status code errors, the slow count") {
    EndpointStatsParams p;
    p.apdex_t_ms = 250;
    p.slow_ms = 1200;
    p.limit = 5000;
    const auto q = endpoint_stats_nrql(ServiceKind::otel, "cart", p, kWindow).value();
    CHECK(contains(q, "average(duration.ms) AS 'avg'"));
    CHECK(contains(q, "percentile(duration.ms, 50, 95, 99) AS 'pct'"));
    CHECK(contains(q, "filter(count(*), WHERE otel.status_code = 'ERROR') AS 'errors'"));
    CHECK(contains(
        q,
        "filter(count(*), WHERE (otel.status_code IS NULL OR otel.status_code != 'ERROR') AND "
        "duration.ms <= 250) AS 'satisfied'"
    ));
    CHECK(contains(q, "duration.ms > 250 AND duration.ms <= 1000) AS 'tolerating'"));
    CHECK(contains(q, "filter(count(*), WHERE duration.ms > 1200) AS 'slow'"));
    CHECK(contains(
        q,
        "FROM Span WHERE service.name = 'cart' AND span.kind IN ('server', 'consumer') FACET name"
    ));
    CHECK(contains(q, "LIMIT 5000"));
}

TEST_CASE("thresholds never use exponent notation and limits stay within 1..5000") {
    EndpointStatsParams p;
    p.apdex_t_ms = 0.01;  // 1e-05 s
    p.slow_ms = 1234.5;
    p.limit = 100'000;
    const auto q = endpoint_stats_nrql(ServiceKind::apm, "a", p, kWindow).value();
    CHECK(contains(q, "duration <= 0.00001)"));
    CHECK(contains(q, "duration > 1.2345) AS 'slow'"));
    CHECK(contains(q, "LIMIT 5000"));
    CHECK_FALSE(contains(q, "e-"));
    p.limit = 0;
    CHECK(contains(endpoint_stats_nrql(ServiceKind::apm, "a", p, kWindow).value(), "LIMIT 1"));
    p.apdex_t_ms = 0;
    CHECK_FALSE(endpoint_stats_nrql(ServiceKind::apm, "a", p, kWindow).ok());
}

TEST_CASE("service and endpoint names are escaped, control characters refused") {
    const std::string hostile = R"(it's a \ 'svc' ☕)";
    const auto q = kind_probe_nrql(ServiceKind::apm, hostile, kWindow).value();
    CHECK(contains(q, R"(appName = 'it\'s a \\ \'svc\' ☕' SINCE)"));
    const auto injection = kind_probe_nrql(ServiceKind::apm, "x' OR appName LIKE '%", kWindow);
    CHECK(contains(injection.value(), R"(appName = 'x\' OR appName LIKE \'%' SINCE)"));
    const auto bad = kind_probe_nrql(ServiceKind::apm, "two\nlines", kWindow);
    REQUIRE_FALSE(bad.ok());
    CHECK(contains(bad.error(), "control character"));
    const auto traces =
        slowest_traces_nrql(ServiceKind::otel, "svc", R"(GET /a'b\c)", 3, kWindow).value();
    CHECK(contains(traces, R"(name = 'GET /a\'b\\c')"));
    CHECK_FALSE(slowest_traces_nrql(ServiceKind::otel, "svc", "a\tb", 3, kWindow).ok());
    CHECK_FALSE(kind_probe_nrql(ServiceKind::apm, std::string(5000, 'x'), kWindow).ok());
}

TEST_CASE("SLO endpoint globs: whole service, exact name, LIKE prefilter") {
    CHECK(endpoint_filter("*") == EndpointFilter::whole_service);
    CHECK(endpoint_filter("**") == EndpointFilter::whole_service);
    CHECK(endpoint_filter("WebTransaction/Go/checkout") == EndpointFilter::exact);
    CHECK(endpoint_filter("GET /orders/*") == EndpointFilter::faceted);
    CHECK(endpoint_filter("GET /order?") == EndpointFilter::faceted);
    CHECK(like_prefilter("GET /orders/*").value() == "GET /orders/%");
    CHECK(like_prefilter("a**?b").value() == "a%b");
    CHECK(like_prefilter("100%_*").value() == "100%_%");  // literal % and _ only widen the match
    CHECK_FALSE(like_prefilter(R"(a\*)").has_value());
}

TEST_CASE("SLO counts: availability over the window and the last hour") {
    SloSpec slo;
    slo.service = "checkout";
    slo.kind = SloKind::availability;
    const auto q = slo_counts_nrql(ServiceKind::apm, slo, kWindow, 1'700'601'200'000).value();
    CHECK(
        q ==
        "SELECT count(*) AS 'valid', filter(count(*), WHERE error IS TRUE) AS 'bad', "
        "filter(count(*), WHERE timestamp >= 1700601200000) AS 'recentValid', filter(count(*), "
        "WHERE timestamp >= 1700601200000 AND error IS TRUE) AS 'recentBad' FROM Transaction "
        "WHERE appName = 'checkout' SINCE 1700000000000 UNTIL 1700604800000"
    );
}

TEST_CASE("SLO counts: latency, exact endpoint and faceted globs") {
    SloSpec slo;
    slo.service = "cart";
    slo.kind = SloKind::latency;
    slo.latency_ms = 300;
    slo.endpoint = "GET /cart";
    auto q = slo_counts_nrql(ServiceKind::otel, slo, kWindow, 5).value();
    CHECK(contains(q, "filter(count(*), WHERE duration.ms > 300) AS 'bad'"));
    CHECK(contains(q, "AND span.kind IN ('server', 'consumer') AND name = 'GET /cart' SINCE"));
    CHECK_FALSE(contains(q, "FACET"));
    slo.endpoint = "GET /cart/*";
    q = slo_counts_nrql(ServiceKind::otel, slo, kWindow, 5).value();
    CHECK(contains(q, "AND name LIKE 'GET /cart/%' FACET name SINCE"));
    CHECK(contains(q, "UNTIL 1700604800000 LIMIT 5000"));
    slo.endpoint = R"(GET \x*)";
    q = slo_counts_nrql(ServiceKind::otel, slo, kWindow, 5).value();
    CHECK_FALSE(contains(q, "LIKE"));
    CHECK(contains(q, "FACET name"));
    slo.latency_ms = 0;
    CHECK_FALSE(slo_counts_nrql(ServiceKind::otel, slo, kWindow, 5).ok());
    slo.kind = SloKind::availability;
    slo.latency_ms = 0;
    slo.endpoint = "a\nb";
    CHECK_FALSE(slo_counts_nrql(ServiceKind::otel, slo, kWindow, 5).ok());
}

TEST_CASE("slowest traces facet the trace id by the largest duration") {
    CHECK(
        slowest_traces_nrql(ServiceKind::apm, "checkout", "WebTransaction/Go/pay", 3, kWindow)
            .value() ==
        "SELECT max(duration) AS 'slowest' FROM Transaction WHERE appName = 'checkout' AND name = "
        "'WebTransaction/Go/pay' AND traceId IS NOT NULL FACET traceId SINCE 1700000000000 UNTIL "
        "1700604800000 LIMIT 3"
    );
    const auto otel = slowest_traces_nrql(ServiceKind::otel, "cart", "GET /", 5, kWindow).value();
    CHECK(contains(otel, "SELECT max(duration.ms) AS 'slowest' FROM Span"));
    CHECK(contains(otel, "AND trace.id IS NOT NULL FACET trace.id"));
}

TEST_CASE("the service list is faceted by traffic") {
    CHECK(
        services_nrql(ServiceKind::apm, kWindow) ==
        "SELECT count(*) AS 'requests' FROM Transaction FACET appName SINCE 1700000000000 UNTIL "
        "1700604800000 LIMIT 5000"
    );
    CHECK(
        services_nrql(ServiceKind::otel, kWindow) ==
        "SELECT count(*) AS 'requests' FROM Span WHERE span.kind IN ('server', 'consumer') FACET "
        "service.name SINCE 1700000000000 UNTIL 1700604800000 LIMIT 5000"
    );
}

}  // namespace metrics_queries_test
