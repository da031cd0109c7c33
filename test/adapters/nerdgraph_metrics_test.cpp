// The NerdGraph metrics source against the fake NerdGraph over HTTP(S): APM and OpenTelemetry
// services, both windows, unknown services with suggestions, 5,000 endpoints, timeouts, escaping,
// SLO counts, slowest traces and account groups. The fake evaluates the NRQL it receives, so the
// numbers checked here come from the queries as New Relic would read them.
#include <catch2/catch.hpp>

#include "nerdgraph_metrics_harness.hpp"

namespace nerdgraph_metrics_test {

using namespace metrics_test;  // NOLINT(google-build-using-namespace): test helpers
TEST_CASE("an APM service: both windows, milliseconds, error-aware Apdex") {
    MetricsHarness h;
    const std::vector<double> pay_ms{100, 200, 400, 600, 1500, 2500, 100, 100, 100, 100};
    h.fake.add_service_stats(
        1,
        "checkout",
        ServiceKind::apm,
        {spec("WebTransaction/Go/pay", 10, pay_ms, 2, kNow - 2 * kDay, kNow - kDay),
         recent("WebTransaction/Go/cart", 20, 50),
         spec("WebTransaction/Go/pay", 4, {300}, 1, kNow - 10 * kDay, kNow - 9 * kDay),
         spec("WebTransaction/Go/old", 3, {10}, 0, kNow - 20 * kDay, kNow - 19 * kDay)}
    );
    auto edge = request("checkout", ServiceKind::apm, "WebTransaction/Go/edge", 10);
    edge.timestamp_ms = kNow - 7 * kDay;  // SINCE is inclusive: current window, not previous
    auto future = request("checkout", ServiceKind::apm, "WebTransaction/Go/future", 10);
    future.timestamp_ms = kNow;  // UNTIL is exclusive
    h.fake.add_requests(1, {edge, future});
    h.fake.add_service_stats(1, "payments", ServiceKind::apm, {recent("WebTransaction/Go/x", 50)});

    StatsQuery q;
    q.service = "checkout";
    q.slow_ms = 1000;
    const auto r = h.stats(q);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.service == "checkout");
    CHECK(r.stats.kind == ServiceKind::apm);
    CHECK(r.stats.window.since_ms == kNow - 7 * kDay);
    CHECK(r.stats.window.until_ms == kNow);
    CHECK_FALSE(r.stats.truncated);
    REQUIRE(r.stats.endpoints.size() == 3);
    CHECK(r.stats.endpoints[0].name == "WebTransaction/Go/cart");  // busiest first
    const auto& pay = find(r.stats.endpoints, "WebTransaction/Go/pay");
    CHECK(pay.count == 10);
    CHECK(pay.throughput_rpm == Approx(10.0 / (7 * 1440)));
    CHECK(*pay.avg_ms == Approx(570));
    CHECK(*pay.p50_ms == Approx(100));
    CHECK(*pay.p95_ms == Approx(2500));
    CHECK(*pay.p99_ms == Approx(2500));
    CHECK(*pay.max_ms == Approx(2500));
    CHECK(pay.errors == 2);
    CHECK(pay.satisfied == 5);  // 100 and 200 ms failed: not satisfied, however fast
    CHECK(pay.tolerating == 2);
    CHECK(*pay.apdex() == Approx(0.6));
    CHECK(pay.slow == 2);
    REQUIRE(r.stats.previous.size() == 1);
    CHECK(r.stats.previous[0].name == "WebTransaction/Go/pay");
    CHECK(r.stats.previous[0].count == 4);
    CHECK(r.stats.previous[0].errors == 1);

    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 3);  // probe (APM found first), current, previous
    CHECK(contains(log[0], "FROM Transaction WHERE appName = 'checkout'"));
    CHECK(contains(log[1], fmt::format("SINCE {} UNTIL {}", kNow - 7 * kDay, kNow)));
    CHECK(contains(log[2], fmt::format("SINCE {} UNTIL {}", kNow - 14 * kDay, kNow - 7 * kDay)));
}

TEST_CASE("an OpenTelemetry service: server and consumer spans, status code errors") {
    MetricsHarness h;
    const std::vector<double> cart_ms{20, 40, 60, 80, 700, 900, 2100, 30};
    h.fake.add_service_stats(
        1,
        "cart-svc",
        ServiceKind::otel,
        {spec("GET /cart", 8, cart_ms, 1, kNow - 2 * kDay, kNow - kDay)}
    );
    auto client = request("cart-svc", ServiceKind::otel, "SELECT cart", 5);
    client.span_kind = "client";  // not an entry span: no endpoint
    auto consumer = request("cart-svc", ServiceKind::otel, "orders process", 15);
    consumer.span_kind = "consumer";
    h.fake.add_requests(1, {client, client, consumer});

    const auto r = h.stats("cart-svc");
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.kind == ServiceKind::otel);
    REQUIRE(r.stats.endpoints.size() == 2);
    const auto& cart = r.stats.endpoints[0];
    CHECK(cart.name == "GET /cart");
    CHECK(cart.count == 8);
    CHECK(*cart.avg_ms == Approx(491.25));
    CHECK(*cart.p50_ms == Approx(60));
    CHECK(*cart.max_ms == Approx(2100));
    CHECK(cart.errors == 1);
    CHECK(cart.satisfied == 4);
    CHECK(cart.tolerating == 2);
    CHECK(r.stats.endpoints[1].name == "orders process");
    CHECK(r.stats.previous.empty());
    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 4);  // no Transaction events, so spans are asked for
    CHECK(contains(log[0], "FROM Transaction"));
    CHECK(contains(log[1], "FROM Span WHERE service.name = 'cart-svc'"));
}

TEST_CASE("an unknown service: no data, and names that have data are suggested") {
    MetricsHarness h;
    h.fake.add_service_stats(1, "checkout-api", ServiceKind::apm, {recent("WebTransaction/a", 30)});
    h.fake.add_service_stats(1, "checkout-worker", ServiceKind::otel, {recent("consume", 50)});
    h.fake.add_service_stats(1, "payments", ServiceKind::apm, {recent("WebTransaction/p", 100)});
    h.fake.add_service_stats(
        1,
        "checkout-legacy",
        ServiceKind::apm,
        {spec("WebTransaction/l", 500, {10}, 0, kNow - 10 * kDay, kNow - 9 * kDay)}
    );
    const auto r = h.stats("checkout");
    CHECK(r.status == FetchStatus::not_found);
    CHECK(r.did_you_mean == std::vector<std::string>{"checkout-worker", "checkout-api"});
    CHECK(
        r.message ==
        "no data for checkout in the last 7 days; did you mean checkout-worker, checkout-api?"
    );
    const auto list = h.services();
    REQUIRE(list.status == FetchStatus::found);
    CHECK(list.services == std::vector<std::string>{"payments", "checkout-worker", "checkout-api"});
    const auto none = h.stats("zzz");
    CHECK(none.status == FetchStatus::not_found);
    CHECK(none.did_you_mean.empty());
    CHECK(none.message == "no data for zzz in the last 7 days");
}

TEST_CASE("a service with 5,000 endpoints and more: the facet limit shows as truncated") {
    MetricsHarness h;
    std::vector<FakeEndpointSpec> endpoints;
    for (int i = 0; i < 5001; ++i) {
        endpoints.push_back(recent(fmt::format("GET /item/{}", i), i < 10 ? 5 : 1));
    }
    h.fake.add_service_stats(1, "catalog", ServiceKind::apm, endpoints);
    StatsQuery q;
    q.service = "catalog";
    std::size_t limit = 5000;
    SECTION("all New Relic gives") {}
    SECTION("a smaller limit") {
        limit = 100;
    }
    q.max_endpoints = limit;
    const auto r = h.stats(q);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.endpoints.size() == limit);
    CHECK(r.stats.truncated);
    for (std::size_t i = 0; i < 10; ++i) CHECK(r.stats.endpoints[i].count == 5);
    CHECK(contains(h.fake.nrql_log()[1], fmt::format("LIMIT {}", limit)));
}

TEST_CASE("a 7-day query that times out is asked again with a longer timeout") {
    MetricsHarness h;
    h.fake.add_service_stats(1, "checkout", ServiceKind::apm, {recent("WebTransaction/a", 30)});
    for (int i = 0; i < 2; ++i) {
        h.fake.push_fault(NerdGraphFault::graphql("TIMEOUT").when_nrql_contains("FACET name"));
    }
    const auto r = h.stats("checkout");
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.endpoints.size() == 1);
    const auto vars = h.fake.variables_log();
    REQUIRE(vars.size() == 5);  // probe, current ×3, previous
    CHECK(vars[0]["timeout"] == 30);
    CHECK(vars[1]["timeout"] == 30);
    CHECK(vars[2]["timeout"] == 60);
    CHECK(vars[3]["timeout"] == 120);
    CHECK(vars[4]["timeout"] == 30);
}

TEST_CASE("New Relic failures become statuses with a message") {
    MetricsHarness h;
    h.fake.add_service_stats(1, "checkout", ServiceKind::apm, {recent("WebTransaction/a", 30)});
    FetchStatus status = FetchStatus::found;
    std::string text;
    SECTION("rate limited") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(429, "0"));
        status = FetchStatus::rate_limited;
        text = "rate-limiting";
    }
    SECTION("timing out on every try") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::graphql("TIMEOUT"));
        status = FetchStatus::timed_out;
        text = "timing out";
    }
    SECTION("key refused") {
        h.fake.push_fault(NerdGraphFault::http(401));
        status = FetchStatus::rejected_key;
        text = "rejected the API key";
    }
    SECTION("unavailable") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(503));
        status = FetchStatus::unavailable;
        text = "HTTP 503";
    }
    const auto r = h.stats("checkout");
    CHECK(r.status == status);
    CHECK(contains(r.message, text));
    CHECK_FALSE(contains(r.message, FakeNerdGraph::kApiKey));
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
}

TEST_CASE("service names with quotes, backslashes and unicode are escaped, newlines refused") {
    MetricsHarness h;
    const std::string name = R"(it's "quoted" \ café ☕)";
    h.fake.add_service_stats(1, name, ServiceKind::apm, {recent("WebTransaction/a", 3)});
    h.fake.add_service_stats(1, R"(trailing\)", ServiceKind::otel, {recent("GET /t", 2)});
    h.fake.add_service_stats(1, "x", ServiceKind::apm, {recent("WebTransaction/x", 2)});
    const auto r = h.stats(name);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.endpoints.at(0).count == 3);
    CHECK(contains(h.fake.nrql_log()[0], R"(appName = 'it\'s "quoted" \\ café ☕' SINCE)"));
    const auto t = h.stats(R"(trailing\)");
    REQUIRE(t.status == FetchStatus::found);
    CHECK(t.stats.kind == ServiceKind::otel);

    // An injection attempt is one literal name: it matches nothing instead of every service.
    const auto injected = h.stats("x' OR appName LIKE '%");
    CHECK(injected.status == FetchStatus::not_found);

    const auto sent = h.fake.server().requests().size();
    const auto bad = h.stats("two\nlines");
    CHECK(bad.status == FetchStatus::not_found);
    CHECK(contains(bad.message, "control character"));
    CHECK(h.fake.server().requests().size() == sent);  // nothing was sent
}

}  // namespace nerdgraph_metrics_test
