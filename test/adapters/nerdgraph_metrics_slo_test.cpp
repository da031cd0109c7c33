// The NerdGraph metrics source: SLO counts, slowest traces, many accounts, TLS.
#include <catch2/catch.hpp>

#include "nerdgraph_metrics_harness.hpp"

namespace nerdgraph_metrics_slo_test {

using namespace metrics_test;  // NOLINT(google-build-using-namespace): test helpers
TEST_CASE("SLO counts: the whole service, an endpoint glob, one endpoint, the last hour") {
    MetricsHarness h;
    const auto old = kNow - 5 * kDay;
    const auto before = kNow - 2 * kHour;
    h.fake.add_service_stats(
        1,
        "orders",
        ServiceKind::apm,
        {spec("GET /orders/list", 100, {100, 400}, 5, old, before),
         spec("GET /orders/list", 10, {100, 400}, 2, kNow - kHour / 2, kNow),
         spec("GET /ORDERS/export", 20, {1000}, 0, old, before),
         spec("POST /pay", 30, {50}, 3, old, before),
         spec("POST /pay", 7, {50}, 7, kNow - 40 * kDay, kNow - 39 * kDay)}
    );
    SloSpec slo;
    slo.name = "orders";
    slo.service = "orders";
    SECTION("availability of the whole service over 30 days") {
        const auto r = h.slo(slo);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.counts.total == 160);
        CHECK(r.counts.bad == 10);
        CHECK(r.counts.recent_total == 10);
        CHECK(r.counts.recent_bad == 2);
    }
    SECTION("latency of a glob: LIKE narrows, the case-sensitive glob decides") {
        slo.kind = SloKind::latency;
        slo.latency_ms = 300;
        slo.endpoint = "GET /orders/*";
        slo.window_days = 7;
        const auto r = h.slo(slo);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.counts.total == 110);
        CHECK(r.counts.bad == 55);
        CHECK(r.counts.recent_total == 10);
        CHECK(r.counts.recent_bad == 5);
        const auto log = h.fake.nrql_log();
        CHECK(contains(log.back(), "name LIKE 'GET /orders/%' FACET name"));
        CHECK(contains(log.back(), "duration > 0.3"));
    }
    SECTION("one endpoint") {
        slo.endpoint = "POST /pay";
        const auto r = h.slo(slo);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.counts.total == 30);
        CHECK(r.counts.bad == 3);
        CHECK(r.counts.recent_total == 0);
    }
    SECTION("an endpoint without traffic, and an unknown service") {
        slo.endpoint = "GET /nothing";
        CHECK(h.slo(slo).status == FetchStatus::not_found);
        slo.service = "nobody";
        const auto r = h.slo(slo);
        CHECK(r.status == FetchStatus::not_found);
        CHECK(r.message == "no data for SLO orders (nobody) in the last 30 days");
    }
}

TEST_CASE("slowest traces: one per trace, slowest first, only sampled ids") {
    MetricsHarness h;
    const std::string a(32, 'a'), b(32, 'b'), c(32, 'c'), d(32, 'd'), e(32, 'e');
    const auto apm = ServiceKind::apm;
    h.fake.add_requests(
        1,
        {request("checkout", apm, "WebTransaction/pay", 100, a),
         request("checkout", apm, "WebTransaction/pay", 900, b),
         request("checkout", apm, "WebTransaction/pay", 300, b),
         request("checkout", apm, "WebTransaction/pay", 500, c),
         request("checkout", apm, "WebTransaction/pay", 2000, d),
         request("checkout", apm, "WebTransaction/pay", 9000),  // no trace id
         request("checkout", apm, "WebTransaction/pay", 8000, "not-a-hex-trace-id"),
         request("checkout", apm, "WebTransaction/pay", 3000, std::string(32, 'F')),
         request("checkout", apm, "WebTransaction/cart", 5000, e)}
    );
    const auto r = h.slowest("checkout", "WebTransaction/pay", 3);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.trace_ids == std::vector<std::string>{std::string(32, 'f'), d, b});
    const auto again = h.slowest("checkout", "WebTransaction/cart", 3);
    CHECK(again.trace_ids == std::vector<std::string>{e});
    CHECK(h.queries_starting("SELECT count(*) AS 'n'") == 1);  // the kind is remembered

    const auto otel = ServiceKind::otel;
    h.fake.add_requests(
        1, {request("cart", otel, "GET /cart", 10, a), request("cart", otel, "GET /cart", 20, b)}
    );
    const auto spans = h.slowest("cart", "GET /cart", 5);
    REQUIRE(spans.status == FetchStatus::found);
    CHECK(spans.trace_ids == std::vector<std::string>{b, a});
    CHECK(contains(h.fake.nrql_log().back(), "FACET trace.id"));
    CHECK(h.slowest("nobody", "GET /", 3).status == FetchStatus::not_found);
    CHECK(h.slowest("cart", "GET /cart", 0).trace_ids.empty());
}

TEST_CASE("more than 5 accounts: groups are asked separately and their answers combined") {
    MetricsHarness h;
    h.config.accounts.clear();
    for (std::int64_t a = 1; a <= 31; ++a) h.config.accounts.push_back(a);
    h.fake.add_service_stats(
        1, "checkout", ServiceKind::apm, {recent("WebTransaction/a", 30, 100)}
    );
    h.fake.add_service_stats(
        31, "checkout", ServiceKind::apm, {recent("WebTransaction/a", 10, 500)}
    );
    const auto r = h.stats("checkout");
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.stats.endpoints.size() == 1);
    CHECK(r.stats.endpoints[0].count == 40);
    CHECK(*r.stats.endpoints[0].avg_ms == Approx(200));
    CHECK(*r.stats.endpoints[0].max_ms == Approx(500));
    const auto vars = h.fake.variables_log();
    REQUIRE(vars.size() == 21);  // three queries, seven groups each (six of 5, then account 31)
    CHECK(vars[0]["accounts"].size() == 5);
    CHECK(vars[6]["accountId"] == 31);
}

TEST_CASE("over TLS with gzip answers") {
    FakeServerOptions tls;
    tls.tls = true;
    MetricsHarness h(tls);
    h.fake.set_gzip(true);
    h.fake.add_service_stats(1, "checkout", ServiceKind::otel, {recent("GET /", 12)});
    const auto r = h.stats("checkout");
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.endpoints.at(0).count == 12);
}

}  // namespace nerdgraph_metrics_slo_test
