// Reading /improve answers: recorded-shape fixtures (facets as strings or arrays, percentile
// objects keyed "95" or "95.0", nulls, strings for numbers, COMPARE WITH halves), merging and
// service-name suggestions.
#include "newrelic/metrics_response.hpp"

#include <catch2/catch.hpp>

#include "newrelic/nerdgraph_response.hpp"
#include "support/fixtures.hpp"

namespace metrics_response_test {

using namespace nra;
using namespace nra::newrelic;

namespace {

std::string rows_of(const std::string& fixture) {
    auto answer = parse_nrql_answer(test::read_fixture(fixture));
    REQUIRE(answer.ok());
    return answer->rows_json;
}

const EndpointStats& by_name(const std::vector<EndpointStats>& list, const std::string& name) {
    for (const auto& e : list) {
        if (e.name == name) return e;
    }
    FAIL("no endpoint " << name);
    throw;
}

}  // namespace

TEST_CASE("APM rows: seconds become milliseconds, facet strings and arrays") {
    const auto r =
        parse_endpoint_stats(rows_of("newrelic/metrics-apm-endpoints.json"), ServiceKind::apm);
    REQUIRE(r.ok());
    CHECK(r->rows == 5);
    REQUIRE(r->endpoints.size() == 4);  // the row without facet or name is dropped
    const auto& checkout = r->endpoints[0];
    CHECK(checkout.name == "WebTransaction/Go/checkout");
    CHECK(checkout.count == 12000);
    CHECK(checkout.throughput_rpm == Approx(1.1904761904761905));
    CHECK(*checkout.avg_ms == Approx(231));
    CHECK(*checkout.p50_ms == Approx(180));
    CHECK(*checkout.p95_ms == Approx(620));
    CHECK(*checkout.p99_ms == Approx(1400));
    CHECK(*checkout.max_ms == Approx(3200));
    CHECK(checkout.errors == 60);
    CHECK(checkout.error_rate() == Approx(0.005));
    CHECK(checkout.satisfied == 9500);
    CHECK(checkout.tolerating == 2000);
    CHECK(*checkout.apdex() == Approx((9500 + 1000) / 12000.0));
    CHECK(checkout.slow == 0);

    const auto& job = r->endpoints[1];  // facet as an array, percentile keys "95.0"
    CHECK(job.name == "OtherTransaction/Go/nightly-export");
    CHECK(*job.p50_ms == Approx(11000));
    CHECK(*job.p95_ms == Approx(19500));
    CHECK(*job.p99_ms == Approx(20000));
}

TEST_CASE("nulls and missing values are no data, numbers may be strings") {
    const auto r =
        parse_endpoint_stats(rows_of("newrelic/metrics-apm-endpoints.json"), ServiceKind::apm);
    REQUIRE(r.ok());
    const auto& health = by_name(r->endpoints, "WebTransaction/Go/health");
    CHECK(health.count == 3);
    CHECK_FALSE(health.avg_ms.has_value());
    CHECK_FALSE(health.p95_ms.has_value());
    CHECK_FALSE(health.max_ms.has_value());
    CHECK(health.errors == 0);
    const auto& legacy = by_name(r->endpoints, "WebTransaction/Go/legacy");  // no facet key
    CHECK(legacy.count == 40);
    CHECK(legacy.throughput_rpm == Approx(0.004));
    CHECK(*legacy.avg_ms == Approx(500));
    CHECK(*legacy.p95_ms == Approx(900));
    CHECK_FALSE(legacy.p50_ms.has_value());
    CHECK_FALSE(legacy.max_ms.has_value());
    CHECK(legacy.errors == 2);
    CHECK(legacy.satisfied == 0);  // "NaN" is not a number
}

TEST_CASE("OTel rows: milliseconds as sent, New Relic's own percentile key, odd shapes") {
    const auto r =
        parse_endpoint_stats(rows_of("newrelic/metrics-otel-endpoints.json"), ServiceKind::otel);
    REQUIRE(r.ok());
    REQUIRE(r->endpoints.size() == 3);
    const auto& cart = r->endpoints[0];
    CHECK(cart.name == "GET /cart");
    CHECK(*cart.avg_ms == Approx(48.2));
    CHECK(*cart.p95_ms == Approx(120));  // "percentile.duration.ms" when the alias is missing
    CHECK(*cart.max_ms == Approx(950));
    CHECK(cart.slow == 12);
    const auto& items = r->endpoints[1];
    CHECK_FALSE(items.p95_ms.has_value());  // a bare number: which percentile is unknown
    CHECK(items.throughput_rpm == 0);
    CHECK(items.slow == 0);
    const auto& consume = r->endpoints[2];
    CHECK(*consume.p99_ms == Approx(12));  // nested "percentiles" object
    CHECK_FALSE(consume.avg_ms.has_value());
}

TEST_CASE("COMPARE WITH answers keep the current half only") {
    const auto rows = rows_of("newrelic/metrics-compare-with.json");
    const auto r = parse_endpoint_stats(rows, ServiceKind::apm);
    REQUIRE(r.ok());
    REQUIRE(r->endpoints.size() == 2);
    CHECK(r->endpoints[0].name == "GET /a");
    CHECK(r->endpoints[0].count == 100);
    CHECK(*r->endpoints[0].avg_ms == Approx(100));
    CHECK(r->endpoints[1].name == "GET /b");
    CHECK(parse_total(rows, "requests").value() == 110);
}

TEST_CASE("documents that are not lists of rows are errors, empty ones are no rows") {
    CHECK_FALSE(parse_endpoint_stats("{\"a\":1}", ServiceKind::apm).ok());
    CHECK_FALSE(parse_endpoint_stats("[{\"facet\":", ServiceKind::apm).ok());
    CHECK_FALSE(parse_total("null", "n").ok());
    CHECK(parse_total("", "n").value() == 0);
    CHECK(parse_total("[]", "n").value() == 0);
    CHECK(parse_total(R"([{"n": 12}])", "n").value() == 12);
    CHECK(parse_total(R"([{"n": null}, 7, {"n": -3}, {"n": 2.6}])", "n").value() == 3);
    const auto r = parse_endpoint_stats(R"([1, "x", null, {"facet": {"a": 1}}])", ServiceKind::apm);
    REQUIRE(r.ok());
    CHECK(r->endpoints.empty());
}

TEST_CASE("SLO rows: single and faceted, nulls as zero") {
    const auto single =
        parse_slo_counts(R"([{"valid": 1000, "bad": 3, "recentValid": 40, "recentBad": 1}])");
    REQUIRE(single.ok());
    REQUIRE(single->size() == 1);
    CHECK(single->front().name.empty());
    CHECK(single->front().counts.total == 1000);
    CHECK(single->front().counts.bad == 3);
    CHECK(single->front().counts.recent_total == 40);
    CHECK(single->front().counts.recent_bad == 1);
    const auto faceted = parse_slo_counts(rows_of("newrelic/metrics-slo-faceted.json"));
    REQUIRE(faceted.ok());
    REQUIRE(faceted->size() == 3);
    CHECK((*faceted)[1].name == "get /ORDERS/export");
    CHECK((*faceted)[1].counts.recent_bad == 0);
}

TEST_CASE("facet values: trace ids and services") {
    const auto traces = parse_facet_values(
        R"([{"facet": "aa", "slowest": 2.5}, {"traceId": "bb", "slowest": 1}, {"facet": ["cc"]}, {"facet": ""}])",
        "slowest",
        "traceId"
    );
    REQUIRE(traces.ok());
    REQUIRE(traces->size() == 3);
    CHECK((*traces)[0].name == "aa");
    CHECK((*traces)[0].value == 2.5);
    CHECK((*traces)[1].name == "bb");
    CHECK((*traces)[2].name == "cc");
    CHECK((*traces)[2].value == 0);
}

TEST_CASE("endpoints from several account groups add up") {
    EndpointStats a;
    a.name = "GET /a";
    a.count = 100;
    a.throughput_rpm = 1;
    a.avg_ms = 10;
    a.p95_ms = 50;
    a.max_ms = 80;
    a.errors = 1;
    a.satisfied = 90;
    EndpointStats b = a;
    b.count = 300;
    b.avg_ms = 30;
    b.p95_ms = 70;
    b.max_ms = 60;
    b.errors = 5;
    EndpointStats c;
    c.name = "GET /c";
    c.count = 1000;
    std::vector<EndpointStats> all{a};
    merge_endpoint_stats(all, {b, c});
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "GET /c");  // busiest first
    const auto& m = all[1];
    CHECK(m.count == 400);
    CHECK(m.throughput_rpm == 2);
    CHECK(*m.avg_ms == Approx(25));
    CHECK(*m.p95_ms == 70);  // the busier group's percentiles
    CHECK(*m.max_ms == 80);
    CHECK(m.errors == 6);
    CHECK(m.satisfied == 180);
}

TEST_CASE("similar service names: case, substrings, then small typos") {
    const std::vector<std::string> names{
        "payments", "checkout-api", "Checkout", "inventory", "checkout-worker", "search"};
    CHECK(
        similar_names("checkout", names, 3) ==
        std::vector<std::string>{"Checkout", "checkout-api", "checkout-worker"}
    );
    CHECK(similar_names("paymnts", names, 3) == std::vector<std::string>{"payments"});
    CHECK(similar_names("zzzzzz", names, 3).empty());
    CHECK(similar_names("search", names, 3).empty());  // the name itself is no suggestion
    CHECK(similar_names("", names, 3).empty());
}

}  // namespace metrics_response_test
