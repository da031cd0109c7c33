// Report building: thresholds and overrides, low traffic, breaches, hysteresis, change, impact and
// ranking, SLOs, suggestion targets and ticket fingerprints.
#include "nra/report/report_build.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace report_build_test {

using namespace nra;

namespace {

// An endpoint with good Apdex unless told otherwise (satisfied = count − errors).
EndpointStats ep(std::string name, std::int64_t count, double p95, std::int64_t errors = 0) {
    EndpointStats s;
    s.name = std::move(name);
    s.count = count;
    s.throughput_rpm = static_cast<double>(count) / (7 * 24 * 60.0);
    s.avg_ms = p95 / 2;
    s.p50_ms = p95 / 2;
    s.p95_ms = p95;
    s.p99_ms = p95 * 1.5;
    s.errors = errors;
    s.satisfied = count - errors;
    return s;
}

ServiceStats service(std::vector<EndpointStats> now, std::vector<EndpointStats> before = {}) {
    ServiceStats s;
    s.service = "checkout";
    s.window = {1'714'550'400'000, 1'715'155'200'000};  // 2024-05-01 → 2024-05-08
    s.endpoints = std::move(now);
    s.previous = std::move(before);
    return s;
}

const EndpointReport& find(const Report& r, const std::string& name) {
    for (const EndpointReport& e : r.endpoints) {
        if (e.stats.name == name) {
            return e;
        }
    }
    FAIL("no endpoint " << name);
    throw 0;
}

std::vector<std::string> names(const Report& r) {
    std::vector<std::string> out;
    for (const EndpointReport& e : r.endpoints) {
        out.push_back(e.stats.name);
    }
    return out;
}

}  // namespace

TEST_CASE("glob_match: * and ? only, everything else literal", "[unit][report]") {
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*", "GET /cart"));
    CHECK(glob_match("GET /cart*", "GET /cart/items"));
    CHECK(glob_match("*/cart", "WebTransaction/Go/cart"));
    CHECK(glob_match("GET /?art", "GET /cart"));
    CHECK_FALSE(glob_match("GET /?art", "GET /art"));
    CHECK_FALSE(glob_match("checkout", "Checkout"));
    CHECK_FALSE(glob_match("[a]", "a"));
    CHECK(glob_match("[a]", "[a]"));
    CHECK(glob_match("*a*b*c", "xxaxxbxxc"));
    CHECK_FALSE(glob_match("*a*b*c", "xxaxxbxx"));
    // A hostile pattern stays fast (linear backtracking).
    CHECK_FALSE(glob_match("*a*a*a*a*a*a*a*a*b", std::string(5000, 'a')));
}

TEST_CASE(
    "thresholds: defaults, then matching overrides in order, field by field", "[unit][report]"
) {
    ImproveConfig config;
    config.defaults.p95_ms = 1000;
    ThresholdOverride slow_reports;
    slow_reports.endpoint = "*/reports/*";
    slow_reports.p95_ms = 5000;
    slow_reports.apdex_min = 0.7;
    ThresholdOverride checkout_strict;
    checkout_strict.service = "check*";
    checkout_strict.endpoint = "*";
    checkout_strict.error_rate = 0.001;
    checkout_strict.p95_ms = 800;
    ThresholdOverride other_service;
    other_service.service = "billing";
    other_service.p95_ms = 1;
    config.overrides = {slow_reports, checkout_strict, other_service};

    const Thresholds cart = thresholds_for(config, "checkout", "GET /cart");
    CHECK(cart.p95_ms == 800);
    CHECK(cart.error_rate == 0.001);
    CHECK(cart.apdex_min == 0.85);

    // Both overrides match: the later one wins p95, the earlier keeps the Apdex it set.
    const Thresholds report = thresholds_for(config, "checkout", "GET /reports/monthly");
    CHECK(report.p95_ms == 800);
    CHECK(report.apdex_min == 0.7);

    const Thresholds elsewhere = thresholds_for(config, "search", "GET /reports/x");
    CHECK(elsewhere.p95_ms == 5000);
    CHECK(elsewhere.error_rate == 0.01);
}

TEST_CASE(
    "breaches: p95 over, error rate over, Apdex under, at the threshold is fine", "[unit][report]"
) {
    ImproveConfig config;
    EndpointStats apdex_low = ep("GET /slowish", 100'000, 900);
    apdex_low.satisfied = 60'000;
    apdex_low.tolerating = 20'000;  // Apdex 0.70
    const Report r = build_report(
        service(
            {ep("GET /at", 100'000, 1000, 1000),
             ep("GET /p95", 100'000, 1800),
             ep("GET /errors", 100'000, 100, 2500),
             apdex_low}
        ),
        config,
        {}
    );
    CHECK(find(r, "GET /at").breaches.empty());
    REQUIRE(find(r, "GET /p95").breaches.size() == 1);
    CHECK(find(r, "GET /p95").breaches[0].metric == "p95_ms");
    CHECK(find(r, "GET /p95").breaches[0].value == 1800);
    CHECK(find(r, "GET /p95").breaches[0].threshold == 1000);
    REQUIRE_FALSE(find(r, "GET /errors").breaches.empty());
    CHECK(find(r, "GET /errors").breaches[0].metric == "error_rate");
    CHECK(find(r, "GET /errors").breaches[0].value == Approx(0.025));
    REQUIRE(find(r, "GET /slowish").breaches.size() == 1);
    CHECK(find(r, "GET /slowish").breaches[0].metric == "apdex");
    CHECK(find(r, "GET /slowish").breaches[0].value == Approx(0.7));
    CHECK(r.judged == 4);
    CHECK(r.breaching == 3);
    CHECK(r.breaches_by_metric.at("p95_ms") == 1);
    CHECK(r.breaches_by_metric.at("apdex") == 1);
}

TEST_CASE("low traffic endpoints are listed, not judged", "[unit][report]") {
    ImproveConfig config;
    config.defaults.min_throughput_rpm = 10;
    EndpointStats quiet = ep("GET /admin", 1'000, 9'000, 500);  // ~0.1 rpm, terrible figures
    const Report r = build_report(service({quiet, ep("GET /cart", 1'000'000, 200)}), config, {});
    const EndpointReport& admin = find(r, "GET /admin");
    CHECK(admin.low_traffic);
    CHECK(admin.breaches.empty());
    CHECK(admin.impact == 0);
    CHECK(r.judged == 1);
    CHECK(r.low_traffic == 1);
    CHECK(r.breaching == 0);
    CHECK(r.total_endpoints == 2);
    REQUIRE_FALSE(r.notes.empty());
    CHECK(r.notes.back().find("not judged") != std::string::npos);
}

TEST_CASE("hysteresis keeps a breach open until it clears the band", "[unit][report]") {
    ImproveConfig config;  // p95 1,000 ms, hysteresis 0.9 → clears at 900 ms
    const EndpointStats before = ep("GET /cart", 100'000, 1400);

    SECTION("inside the band: lingering, still breaching, better") {
        const Report r =
            build_report(service({ep("GET /cart", 100'000, 950)}, {before}), config, {});
        const EndpointReport& e = find(r, "GET /cart");
        REQUIRE(e.breaches.size() == 1);
        CHECK(e.breaches[0].lingering);
        CHECK(e.breaches[0].threshold == 1000);
        CHECK(r.breaching == 1);
        CHECK(e.change == Change::better);
    }
    SECTION("clear of the band: fixed") {
        const Report r =
            build_report(service({ep("GET /cart", 100'000, 890)}, {before}), config, {});
        CHECK(find(r, "GET /cart").breaches.empty());
        CHECK(find(r, "GET /cart").change == Change::fixed);
    }
    SECTION("no breach before: 950 ms is simply fine") {
        const Report r = build_report(
            service({ep("GET /cart", 100'000, 950)}, {ep("GET /cart", 100'000, 960)}), config, {}
        );
        CHECK(find(r, "GET /cart").breaches.empty());
        CHECK(find(r, "GET /cart").change == Change::same);
    }
    SECTION("Apdex mirrored: 0.85 with 0.9 clears at 0.865") {
        EndpointStats low = ep("GET /cart", 100'000, 500);
        low.satisfied = 60'000;  // 0.80
        low.tolerating = 40'000;
        EndpointStats now = ep("GET /cart", 100'000, 500);
        now.satisfied = 72'000;  // 0.86: within apdex_min, inside the band
        now.tolerating = 28'000;
        const Report open = build_report(service({now}, {low}), config, {});
        REQUIRE(find(open, "GET /cart").breaches.size() == 1);
        CHECK(find(open, "GET /cart").breaches[0].metric == "apdex");
        CHECK(find(open, "GET /cart").breaches[0].lingering);
        now.satisfied = 74'000;  // 0.87
        now.tolerating = 26'000;
        const Report clear = build_report(service({now}, {low}), config, {});
        CHECK(find(clear, "GET /cart").breaches.empty());
    }
}

TEST_CASE("change versus the previous window", "[unit][report]") {
    ImproveConfig config;
    const Report r = build_report(
        service(
            {ep("new", 100'000, 1500),
             ep("worse", 100'000, 2000),
             ep("better", 100'000, 1200),
             ep("same", 100'000, 1500),
             ep("fixed", 100'000, 500),
             ep("brand-new", 100'000, 3000),
             ep("fine", 100'000, 300)},
            {ep("new", 100'000, 800),
             ep("worse", 100'000, 1500),
             ep("better", 100'000, 1500),
             ep("same", 100'000, 1450),
             ep("fixed", 100'000, 1500),
             ep("fine", 100'000, 200)}
        ),
        config,
        {}
    );
    CHECK(find(r, "new").change == Change::new_breach);
    CHECK(find(r, "worse").change == Change::worse);
    CHECK(find(r, "better").change == Change::better);
    CHECK(find(r, "same").change == Change::same);
    CHECK(find(r, "fixed").change == Change::fixed);
    CHECK(find(r, "brand-new").change == Change::new_breach);
    CHECK_FALSE(find(r, "brand-new").previous);
    CHECK(find(r, "fine").change == Change::worse);  // p95 200 → 300 ms, no breach
}

TEST_CASE(
    "ranking: a busy moderately slow endpoint beats a rarely called slow one", "[unit][report]"
) {
    ImproveConfig config;
    const Report r = build_report(
        service(
            {ep("GET /rare-slow", 15'000, 5000),
             ep("GET /busy", 500'000, 1300),
             ep("GET /fast-big", 2'000'000, 100),
             ep("GET /ok", 1'000, 400)}
        ),
        config,
        {}
    );
    REQUIRE(r.endpoints.size() == 4);
    CHECK(
        names(r) ==
        std::vector<std::string>{"GET /busy", "GET /rare-slow", "GET /fast-big", "GET /ok"}
    );
    const EndpointReport& busy = r.endpoints[0];
    CHECK(busy.impact_basis == "excess_latency");
    // 500,000 × 300 ms excess over Σ count × avg; the rare one: 15,000 × 4,000 ms.
    const double time = 15'000 * 2500.0 + 500'000 * 650.0 + 2'000'000 * 50.0 + 1'000 * 200.0;
    CHECK(busy.impact == Approx(500'000 * 300.0 / time));
    CHECK(r.endpoints[1].impact == Approx(15'000 * 4000.0 / time));
    CHECK(r.endpoints[3].low_traffic);  // 1,000 requests a week
    CHECK(r.endpoints[2].impact == 0);  // not breaching: ranked by time share
    CHECK(r.endpoints[2].time_share > r.endpoints[3].time_share);
}

TEST_CASE("impact against the availability and latency SLOs", "[unit][report]") {
    ImproveConfig config;
    SloInput availability;
    availability.spec.name = "avail";
    availability.spec.service = "checkout";
    availability.spec.target = 0.999;
    SloInput latency;
    latency.spec.name = "fast";
    latency.spec.service = "checkout";
    latency.spec.kind = SloKind::latency;
    latency.spec.target = 0.99;
    latency.spec.latency_ms = 1000;
    EndpointStats errors = ep("POST /pay", 100'000, 300, 2'000);  // 2 %: over the 1 % threshold
    EndpointStats slow = ep("GET /cart", 900'000, 1200);
    slow.slow = 45'000;
    const Report r = build_report(service({errors, slow}), config, {availability, latency});
    // Error budget of the window: 0.1 % of 1,000,000 = 1,000 errors; POST /pay used 2,000.
    const EndpointReport& pay = find(r, "POST /pay");
    CHECK(pay.impact_basis == "error_budget");
    CHECK(pay.impact == Approx(2.0));
    // Latency budget: 1 % of 1,000,000 = 10,000 slow requests; GET /cart had 45,000.
    const EndpointReport& cart = find(r, "GET /cart");
    CHECK(cart.impact_basis == "latency_budget");
    CHECK(cart.impact == Approx(4.5));
    CHECK(r.endpoints[0].stats.name == "GET /cart");
}

TEST_CASE("the cut to top_endpoints keeps the counts of all endpoints", "[unit][report]") {
    ImproveConfig config;
    config.top_endpoints = 3;
    std::vector<EndpointStats> all;
    for (int i = 0; i < 20; ++i) {
        all.push_back(ep("GET /e" + std::to_string(i), 100'000 + i, i < 8 ? 2000 : 200));
    }
    const Report r = build_report(service(all), config, {});
    CHECK(r.endpoints.size() == 3);
    CHECK(r.total_endpoints == 20);
    CHECK(r.judged == 20);
    CHECK(r.breaching == 8);
    CHECK(r.endpoints[0].stats.name == "GET /e7");  // same excess, most traffic
    CHECK(suggestion_targets(r, 2) == std::vector<std::size_t>{0, 1});
    CHECK(suggestion_targets(r, 10).size() == 3);
    CHECK(suggestion_targets(r, 0).empty());
}

TEST_CASE("SLOs: evaluated, spent budget noted, missing counts explained", "[unit][report]") {
    ImproveConfig config;
    SloInput spent;
    spent.spec.name = "avail";
    spent.spec.target = 0.999;
    spent.counts = SloCounts{1'000'000, 1'300, 10'000, 5};
    SloInput missing;
    missing.spec.name = "fast";
    missing.problem = "New Relic did not answer in time.";
    const Report r = build_report(service({ep("GET /cart", 1'000, 100)}), config, {spent, missing});
    REQUIRE(r.slos.size() == 2);
    CHECK(*r.slos[0].budget_remaining == Approx(-0.3));
    CHECK(*r.slos[0].burn_rate == Approx(0.5));
    CHECK(r.slos[1].problem == "New Relic did not answer in time.");
    CHECK_FALSE(r.slos[1].attainment);
    bool noted = false;
    for (const std::string& note : r.notes) {
        noted = noted || (note.find("avail") != std::string::npos &&
                          note.find("spent its error budget") != std::string::npos);
    }
    CHECK(noted);
}

TEST_CASE(
    "primary breach: open before lingering, then the largest relative excess", "[unit][report]"
) {
    EndpointReport e;
    CHECK(primary_breach_kind(e).empty());
    e.breaches = {Breach{"p95_ms", 1200, 1000, false}, Breach{"error_rate", 0.05, 0.01, false}};
    CHECK(primary_breach_kind(e) == "error_rate");
    e.breaches = {Breach{"p95_ms", 3000, 1000, false}, Breach{"apdex", 0.7, 0.85, false}};
    CHECK(primary_breach_kind(e) == "p95_ms");  // 3× vs 2× the allowed shortfall
    e.breaches = {Breach{"p95_ms", 950, 1000, true}, Breach{"apdex", 0.84, 0.85, false}};
    CHECK(primary_breach_kind(e) == "apdex");
}

TEST_CASE("ticket fingerprints are stable, distinct and label-safe", "[unit][report]") {
    const std::string fp = ticket_fingerprint("checkout", "GET /cart", "p95_ms");
    CHECK(fp == "nra-fp-2c3564797018");  // FNV-1a 64: must never change between versions
    CHECK(fp == ticket_fingerprint("checkout", "GET /cart", "p95_ms"));
    CHECK(fp != ticket_fingerprint("checkout", "GET /cart", "error_rate"));
    CHECK(ticket_fingerprint("ab", "c", "x") != ticket_fingerprint("a", "bc", "x"));
    const std::string odd = ticket_fingerprint("Ünïcode svc", std::string(5000, '|'), "slo:a b");
    for (const std::string& f : {fp, odd}) {
        CHECK(f.size() == 19);
        CHECK(f.rfind("nra-fp-", 0) == 0);
        CHECK(f.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos);
    }
}

}  // namespace report_build_test
