// The NerdGraph metrics source's SLO history: consecutive windows against the fake NerdGraph.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <ostream>

#include "nerdgraph_metrics_harness.hpp"

namespace nerdgraph_slo_history_test {

using namespace metrics_test;  // NOLINT(google-build-using-namespace): test helpers
namespace {

constexpr std::int64_t kWeek = 7 * kDay;
constexpr const char* kProbe = "SELECT count(*) AS 'n'";
constexpr const char* kWindowQuery = "SELECT count(*) AS 'valid'";

// Since of window i of 4 weekly windows ending now (oldest first).
std::int64_t since(int i) {
    return kNow - (4 - i) * kWeek;
}

FakeEndpointSpec in_window(
    int i, std::size_t requests, std::size_t errors, std::string name = "WebTransaction/pay"
) {
    return spec(std::move(name), requests, {100}, errors, since(i), since(i) + kDay);
}

FakeRequestEvent at(std::int64_t timestamp_ms, bool error) {
    auto e = request("checkout", ServiceKind::apm, "WebTransaction/pay", 100);
    e.timestamp_ms = timestamp_ms;
    e.error = error;
    return e;
}

SloSpec weekly(std::string name, std::string service) {
    SloSpec slo;
    slo.name = std::move(name);
    slo.service = std::move(service);
    slo.window_days = 7;
    return slo;
}

struct Tally {
    std::int64_t total, bad;
    bool operator==(const Tally&) const = default;
};

// How Catch prints a Tally in a failed check (found by argument-dependent lookup).
std::ostream& operator<<(std::ostream& out, const Tally& c) {
    return out << fmt::format("{}/{}", c.bad, c.total);
}

std::vector<Tally> counts_of(const SloHistoryResult& r) {
    std::vector<Tally> out;
    for (const auto& w : r.windows) out.push_back({w.total, w.bad});
    return out;
}

}  // namespace

TEST_CASE("SLO history: four weekly windows in order, a boundary event in the later window") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1,
        "checkout",
        ServiceKind::apm,
        {in_window(0, 10, 1), in_window(1, 20, 0), in_window(2, 30, 3), in_window(3, 40, 4)}
    );
    h.fake.add_requests(
        1,
        {at(since(2), true),       // exactly the since of window 2: counts there
         at(since(2) - 1, false),  // the last millisecond of window 1
         at(kNow, true),           // now is not in any window
         at(since(0) - 1, true)}   // before the oldest window
    );
    const auto r = h.history(weekly("checkout-availability", "checkout"), 4);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(counts_of(r) == std::vector<Tally>{{10, 1}, {21, 0}, {31, 4}, {40, 4}});
    REQUIRE(r.windows.size() == 4);
    for (int i = 0; i < 4; ++i) {
        CHECK(r.windows[static_cast<std::size_t>(i)].since_ms == since(i));
        CHECK(r.windows[static_cast<std::size_t>(i)].until_ms == since(i) + kWeek);
    }
    CHECK(h.queries_starting(kProbe) == 1);
    CHECK(h.queries_starting(kWindowQuery) == 4);
    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 5);
    CHECK(contains(log[0], fmt::format("SINCE {} UNTIL {}", since(0), kNow)));
    CHECK(contains(log[1], fmt::format("SINCE {} UNTIL {}", since(0), since(1))));
    CHECK(contains(log[4], fmt::format("SINCE {} UNTIL {}", since(3), kNow)));
}

TEST_CASE("SLO history: an empty middle window is total 0, not an error") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1, "checkout", ServiceKind::apm, {in_window(0, 10, 2), in_window(2, 5, 0)}
    );
    const auto r = h.history(weekly("checkout-availability", "checkout"), 3);
    REQUIRE(r.status == FetchStatus::found);
    // Three windows ending now: windows 1, 2 and 3 of the four-window layout.
    CHECK(counts_of(r) == std::vector<Tally>{{0, 0}, {5, 0}, {0, 0}});
    CHECK(r.windows.front().since_ms == since(1));
}

TEST_CASE("SLO history: the window count and length are clamped") {
    MetricsHarness h;
    h.fake.add_service_stats(1, "checkout", ServiceKind::apm, {recent("WebTransaction/a", 3)});
    auto slo = weekly("checkout-availability", "checkout");
    slo.window_days = 0;  // one day
    const auto r = h.history(slo, 100);
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.windows.size() == 24);
    CHECK(r.windows.front().since_ms == kNow - 24 * kDay);
    CHECK(r.windows.back().until_ms == kNow);
    CHECK(r.windows[22].total == 3);  // recent(): two days ago to one day ago
    CHECK(h.history(slo, -3).windows.size() == 1);
}

TEST_CASE("SLO history: latency counts requests over the threshold") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1,
        "checkout",
        ServiceKind::apm,
        {spec("WebTransaction/pay", 10, {100, 400}, 0, since(2), since(3)),
         spec("WebTransaction/pay", 8, {100, 400, 400, 400}, 0, since(3), kNow)}
    );
    auto slo = weekly("checkout-latency", "checkout");
    slo.kind = SloKind::latency;
    slo.latency_ms = 300;
    const auto r = h.history(slo, 2);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(counts_of(r) == std::vector<Tally>{{10, 5}, {8, 6}});
    CHECK(contains(h.fake.nrql_log().back(), "duration > 0.3"));
}

TEST_CASE("SLO history: a faceted glob counts only the endpoints it matches") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1,
        "shop",
        ServiceKind::apm,
        {in_window(3, 10, 2, "GET /api/orders"),
         in_window(3, 7, 7, "GET /API/orders"),  // LIKE is case-insensitive, the glob is not
         in_window(3, 5, 5, "GET /apiary"),
         in_window(3, 4, 4, "POST /api/orders"),
         in_window(2, 6, 1, "GET /api/cart")}
    );
    auto slo = weekly("shop-api", "shop");
    slo.endpoint = "GET /api/*";
    const auto r = h.history(slo, 2);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(counts_of(r) == std::vector<Tally>{{6, 1}, {10, 2}});
    CHECK(contains(h.fake.nrql_log().back(), "name LIKE 'GET /api/%' FACET name"));
}

TEST_CASE("SLO history: an OpenTelemetry service") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1,
        "cart",
        ServiceKind::otel,
        {in_window(2, 12, 3, "GET /cart"), in_window(3, 4, 0, "GET /")}
    );
    const auto r = h.history(weekly("cart-availability", "cart"), 2);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(counts_of(r) == std::vector<Tally>{{12, 3}, {4, 0}});
    CHECK(h.queries_starting(kProbe) == 2);  // Transaction first, then spans
    CHECK(contains(h.fake.nrql_log().back(), "FROM Span WHERE service.name = 'cart'"));
}

TEST_CASE("SLO history: account groups are asked per window and summed") {
    MetricsHarness h;
    h.config.accounts.clear();
    for (std::int64_t a = 1; a <= 31; ++a) h.config.accounts.push_back(a);
    h.fake.add_service_stats(1, "checkout", ServiceKind::apm, {in_window(3, 10, 1)});
    h.fake.add_service_stats(31, "checkout", ServiceKind::apm, {in_window(3, 5, 2)});
    const auto r = h.history(weekly("checkout-availability", "checkout"), 2);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(counts_of(r) == std::vector<Tally>{{0, 0}, {15, 3}});
    CHECK(h.fake.variables_log().size() == 21);  // probe and two windows, seven groups each
}

TEST_CASE("SLO history: an unknown service, a latency SLO without a threshold") {
    MetricsHarness h;
    h.fake.add_service_stats(1, "checkout", ServiceKind::apm, {in_window(3, 10, 1)});
    SECTION("unknown service") {
        const auto r = h.history(weekly("orders", "nobody"), 4);
        CHECK(r.status == FetchStatus::not_found);
        CHECK(r.message == "no data for SLO orders (nobody) in the last 28 days");
        CHECK(r.windows.empty());
        CHECK(h.queries_starting(kWindowQuery) == 0);
    }
    SECTION("latency without a threshold") {
        auto slo = weekly("checkout-latency", "checkout");
        slo.kind = SloKind::latency;
        const auto r = h.history(slo, 4);
        CHECK(r.status == FetchStatus::failed);
        CHECK(r.message == "SLO checkout-latency: the latency SLO has no threshold");
        CHECK(h.fake.nrql_log().empty());
    }
}

TEST_CASE("SLO history: a failure on a later window fails the history, naming the SLO") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1, "checkout", ServiceKind::apm, {in_window(0, 10, 1), in_window(2, 10, 1)}
    );
    const auto third = fmt::format("SINCE {} UNTIL", since(2));
    FetchStatus status = FetchStatus::found;
    std::string text;
    SECTION("HTTP 429 that persists") {
        for (int i = 0; i < 20; ++i) {
            h.fake.push_fault(NerdGraphFault::http(429, "0").when_nrql_contains(third));
        }
        status = FetchStatus::rate_limited;
        text = "SLO checkout-latency: New Relic is rate-limiting";
    }
    SECTION("a NerdGraph error") {
        h.fake.push_fault(NerdGraphFault::graphql("").when_nrql_contains(third));
        status = FetchStatus::failed;
        text = "SLO checkout-latency: New Relic answered with an error";
    }
    SECTION("TIMEOUT that persists") {
        for (int i = 0; i < 20; ++i) {
            h.fake.push_fault(NerdGraphFault::graphql("TIMEOUT").when_nrql_contains(third));
        }
        status = FetchStatus::timed_out;
        text = "SLO checkout-latency: New Relic's query kept timing out";
    }
    SECTION("an unreadable answer") {
        for (int i = 0; i < 20; ++i) {
            h.fake.push_fault(
                NerdGraphFault::of(NerdGraphFault::Kind::malformed).when_nrql_contains(third)
            );
        }
        status = FetchStatus::unavailable;
        text = "SLO checkout-latency: ";
    }
    auto slo = weekly("checkout-latency", "checkout");
    slo.kind = SloKind::latency;
    slo.latency_ms = 250;
    const auto r = h.history(slo, 4);
    CHECK(r.status == status);
    CHECK(r.message.rfind(text, 0) == 0);
    CHECK(r.windows.empty());
    CHECK_FALSE(contains(r.message, FakeNerdGraph::kApiKey));
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
    // The first two windows were asked, the fourth never was.
    CHECK(h.queries_starting(kWindowQuery) >= 3);
    for (const auto& q : h.fake.nrql_log()) {
        CHECK_FALSE(contains(q, fmt::format("SINCE {} UNTIL", since(3))));
    }
}

}  // namespace nerdgraph_slo_history_test
