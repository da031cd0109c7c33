// /incident's New Relic side against the fake NerdGraph: the endpoints of an explicit window
// against the usual week, and the trace ids sampled per endpoint (failed, above the usual p99,
// typical) from one NRQL query the fake evaluates.
#include <catch2/catch.hpp>
#include <set>

#include "nerdgraph_metrics_harness.hpp"

namespace nerdgraph_window_test {

using namespace metrics_test;

namespace {

constexpr std::int64_t kMinute = 60'000;

SampleResult samples(MetricsHarness& h, SampleQuery q) {
    return run_blocking(h.ioc, h.source().window_samples(std::move(q)));
}

// checkout: a busy healthy endpoint and a rare one that fails in the last 30 minutes.
void seed(MetricsHarness& h, ServiceKind kind) {
    h.fake.add_service_stats(
        1,
        "checkout",
        kind,
        {spec("GET /cart", 300, {40, 60, 80}, 0, kNow - 30 * kMinute, kNow),
         spec("POST /gift", 6, {30, 900, 35}, 4, kNow - 30 * kMinute, kNow),
         spec("GET /cart", 2000, {40, 60, 80}, 1, kNow - 8 * kDay, kNow - kDay),
         spec("POST /gift", 100, {30, 35, 40, 45}, 0, kNow - 8 * kDay, kNow - kDay)}
    );
}

StatsQuery window_query() {
    StatsQuery q;
    q.service = "checkout";
    q.window = ReportWindow{kNow - 30 * kMinute, kNow};
    q.usual = ReportWindow{kNow - 8 * kDay, kNow - kDay};
    return q;
}

}  // namespace

TEST_CASE("incident window: explicit periods, the rare failing endpoint stands out") {
    for (const auto kind : {ServiceKind::apm, ServiceKind::otel}) {
        MetricsHarness h;
        seed(h, kind);
        const auto r = h.stats(window_query());
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.stats.window.since_ms == kNow - 30 * kMinute);
        CHECK(find(r.stats.endpoints, "POST /gift").count == 6);
        CHECK(find(r.stats.previous, "POST /gift").count == 100);
        const auto deviations = endpoint_deviations(r.stats);
        REQUIRE_FALSE(deviations.empty());
        CHECK(deviations[0].name == "POST /gift");
        CHECK(deviations[0].failing);
        CHECK_FALSE(deviations[1].deviates());
    }
}

TEST_CASE("incident window: a service that stopped is an answer, an unknown one is not") {
    MetricsHarness h;
    h.fake.add_service_stats(
        1,
        "checkout",
        ServiceKind::apm,
        {spec("GET /cart", 20000, {40}, 0, kNow - 8 * kDay, kNow - kDay)}
    );
    const auto r = h.stats(window_query());
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.stats.endpoints.empty());
    const auto deviations = endpoint_deviations(r.stats);
    REQUIRE(deviations.size() == 1);
    INFO(
        "usual rpm " << deviations[0].usual_rpm << " window " << r.stats.window.since_ms << ".."
                     << r.stats.window.until_ms
    );
    CHECK(deviations[0].quieter);
    auto unknown = window_query();
    unknown.service = "checkot";
    const auto u = h.stats(unknown);
    CHECK(u.status == FetchStatus::not_found);
    CHECK(u.did_you_mean == std::vector<std::string>{"checkout"});
}

TEST_CASE("incident samples: failed, above the usual p99 and typical ids per endpoint asked") {
    for (const auto kind : {ServiceKind::apm, ServiceKind::otel}) {
        INFO((kind == ServiceKind::apm ? "apm" : "otel"));
        MetricsHarness h;
        seed(h, kind);
        SampleQuery q;
        q.service = "checkout";
        q.window = ReportWindow{kNow - 30 * kMinute, kNow};
        q.endpoints = {{"POST /gift", 45.0, 35.0}, {"GET /cart", std::nullopt, std::nullopt}};
        q.per_endpoint = 3;
        const auto r = samples(h, q);
        REQUIRE(r.status == FetchStatus::found);
        std::map<std::string, std::set<std::string>> by_reason;
        for (const auto& s : r.samples) {
            CHECK(s.trace_id.size() == 32);
            by_reason[s.endpoint + " " + std::string(to_string(s.reason))].insert(s.trace_id);
        }
        // The first 4 of the 6 gift requests failed; only the 900 ms ones are above 45 ms; the
        // good ones at most 35 ms are typical (uniques(…, 2)).
        CHECK(by_reason["POST /gift failed"].size() == 3);
        CHECK(by_reason["POST /gift slow"].size() == 2);  // the two 900 ms ones
        CHECK(by_reason["POST /gift typical"].size() == 1);
        CHECK(by_reason["GET /cart failed"].empty());
        CHECK(r.samples.front().endpoint == "POST /gift");  // the order asked
        const auto log = h.fake.nrql_log();
        const auto& nrql = log.back();
        CHECK(nrql.find("uniques(") != std::string::npos);
        CHECK(nrql.find("FACET name") != std::string::npos);
    }
}

TEST_CASE("incident samples: hostile endpoint names are quoted, hundreds are cut to the limit") {
    MetricsHarness h;
    seed(h, ServiceKind::apm);
    SampleQuery q;
    q.service = "checkout";
    q.window = ReportWindow{kNow - 30 * kMinute, kNow};
    q.endpoints.push_back({"GET /x' OR name LIKE '%", 10.0, 1.0});
    for (int i = 0; i < 300; ++i) q.endpoints.push_back({"GET /e" + std::to_string(i), 10.0, 1.0});
    const auto r = samples(h, q);
    CHECK(r.status == FetchStatus::found);
    CHECK(r.samples.empty());  // no such endpoints: the quote did not open the query up
    const auto log = h.fake.nrql_log();
    const auto& nrql = log.back();
    CHECK(nrql.size() < 4000);
    CHECK(nrql.find("GET /e20'") == std::string::npos);  // cut at kMaxSampledEndpoints
}

}  // namespace nerdgraph_window_test
