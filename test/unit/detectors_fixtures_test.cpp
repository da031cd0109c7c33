// Detectors on real public traces (test/fixtures/, sources in the fixtures README).
#include <catch2/catch.hpp>
#include <string>

#include "detector_builder.hpp"
#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"

namespace detectors_fixtures_test {

using nra::test::of_kind;

namespace {

std::vector<nra::Finding> detect_fixture(
    const std::string& path, const nra::DetectorThresholds& limits = {}
) {
    auto trace = nra::read_trace(nra::test::read_fixture(path));
    REQUIRE(trace.ok());
    const nra::TraceTree tree = nra::assemble(std::move(trace).value());
    return nra::detect_all(tree, nra::self_times(tree), limits);
}

}  // namespace

TEST_CASE("fixtures: 13 identical JDBC queries of a few µs are not an N+1", "[detectors]") {
    const std::string path = "jaeger/spanAmongEachOtherGroupedAndSpans.json";
    CHECK(of_kind(detect_fixture(path), "n_plus_one_db").empty());

    // The shape is there: only the 50 ms total-time threshold keeps it quiet.
    nra::DetectorThresholds no_time_limit;
    no_time_limit.n_plus_one_db_min_total_ms = 0;
    const auto shape = of_kind(detect_fixture(path, no_time_limit), "n_plus_one_db");
    REQUIRE(shape.size() == 1);
    CHECK(shape[0].count == 13);
    CHECK(shape[0].statement == "select * from test");
    CHECK(shape[0].service == "customers-service");
}

TEST_CASE("fixtures: every public trace runs through the detectors", "[detectors]") {
    const char* paths[] = {
        "jaeger/genaiTestTrace.json",
        "jaeger/traceWithOverlappingChildren.json",
        "jaeger/traceWithSingleChildLongerThanParentAndStartsAfterParent.json",
        "zipkin/smartthings-oauth-authorization.json",
        "zipkin/simple-db-p6.json",
        "zipkin/messaging2.json",
        "otlp/otlp2jaeger-in-error.json",
    };
    for (const char* path : paths) {
        INFO(path);
        for (const auto& f : detect_fixture(path)) {
            CHECK(!f.summary.empty());
            CHECK(f.saving_ms >= 0);
            CHECK(f.count == static_cast<int>(f.span_ids.size()));
        }
    }
}

TEST_CASE("fixtures: a failed client call followed by the same call is a retry", "[detectors]") {
    // jaeger/testTrace.json: op2 (error=true) at +125 ms, op2 again at +250 ms under op1.
    const auto found = of_kind(detect_fixture("jaeger/testTrace.json"), "retries");
    REQUIRE(found.size() == 1);
    CHECK(found[0].count == 2);
    CHECK(found[0].saving_ms == Approx(125));
    CHECK(found[0].service == "service1");
}

TEST_CASE("fixtures: the 401 in the SmartThings OAuth flow is found at its origin", "[detectors]") {
    const auto found =
        of_kind(detect_fixture("zipkin/smartthings-oauth-authorization.json"), "error_origin");
    REQUIRE(found.size() == 1);
    CHECK(found[0].service == "auth");
    CHECK(found[0].summary.find("HTTP 401") != std::string::npos);
}

}  // namespace detectors_fixtures_test
