// The NerdGraph metrics source against the fake NerdGraph over HTTP(S): APM and OpenTelemetry
// services, both windows, unknown services with suggestions, 5,000 endpoints, timeouts, escaping,
// SLO counts, slowest traces and account groups. The fake evaluates the NRQL it receives, so the
// numbers checked here come from the queries as New Relic would read them.
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "nerdgraph_harness.hpp"
#include "newrelic/nerdgraph_metrics_source.hpp"

using namespace nra;
using namespace nra::test;
using newrelic::NerdGraphMetricsSource;

namespace {

constexpr std::int64_t kNow = 1'750'000'000'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

struct MetricsHarness : NerdGraphHarness {
    explicit MetricsHarness(FakeServerOptions options = {})
        : NerdGraphHarness(std::move(options)) {}

    // Built on first use, so a test may change the config first; kept, so is its kind cache.
    NerdGraphMetricsSource& source() {
        if (!source_) {
            client_ = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            NerdGraphMetricsSource::WallClock clock = [] {
                return std::chrono::system_clock::time_point(std::chrono::milliseconds(kNow));
            };
            source_ = std::make_unique<NerdGraphMetricsSource>(*client_, config, clock);
        }
        return *source_;
    }
    StatsResult stats(StatsQuery q) { return run_blocking(ioc, source().service_stats(q)); }
    StatsResult stats(const std::string& service) {
        StatsQuery q;
        q.service = service;
        return stats(q);
    }
    SloResult slo(SloSpec spec) { return run_blocking(ioc, source().slo_counts(spec)); }
    TraceIdsResult slowest(const std::string& service, const std::string& endpoint, int n) {
        return run_blocking(ioc, source().slowest_traces(service, endpoint, n, 7));
    }
    ServiceListResult services() { return run_blocking(ioc, source().services(7)); }
    std::size_t queries_starting(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& q : fake.nrql_log()) n += q.rfind(prefix, 0) == 0 ? 1 : 0;
        return n;
    }

    std::unique_ptr<http::Client> client_;
    std::unique_ptr<NerdGraphMetricsSource> source_;
};

FakeEndpointSpec spec(
    std::string name,
    std::size_t requests,
    std::vector<double> durations,
    std::size_t errors,
    std::int64_t from,
    std::int64_t to
) {
    return FakeEndpointSpec{std::move(name), requests, std::move(durations), errors, from, to};
}

FakeEndpointSpec recent(std::string name, std::size_t requests, double duration = 10) {
    return spec(std::move(name), requests, {duration}, 0, kNow - 2 * kDay, kNow - kDay);
}

FakeRequestEvent request(
    std::string service, ServiceKind kind, std::string endpoint, double ms, std::string trace = {}
) {
    FakeRequestEvent e;
    e.service = std::move(service);
    e.kind = kind;
    e.endpoint = std::move(endpoint);
    e.timestamp_ms = kNow - kDay;
    e.duration_ms = ms;
    e.trace_id = std::move(trace);
    return e;
}

const EndpointStats& find(const std::vector<EndpointStats>& list, const std::string& name) {
    for (const auto& e : list) {
        if (e.name == name) return e;
    }
    FAIL("no endpoint " << name);
    throw;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

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

TEST_CASE("service names with quotes, backslashes and unicode are escaped; newlines refused") {
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

TEST_CASE("more than 30 accounts: groups are asked separately and their answers combined") {
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
    REQUIRE(vars.size() == 6);  // three queries, two groups each
    CHECK(vars[0]["accounts"].size() == 30);
    CHECK(vars[1]["accountId"] == 31);
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
