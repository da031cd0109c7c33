// NerdGraphContextSource: typical requests of an endpoint (error-free root spans of the baseline
// window nearest the median, this trace left out, both dialects) and deployments of a request's
// services (Deployment and ChangeTrackingEvent, by GUID or name), through the fake NerdGraph,
// which evaluates the NRQL: a wrong condition gets another answer.
#include <catch2/catch.hpp>

#include "nerdgraph_context_harness.hpp"
#include "newrelic/baseline_queries.hpp"
#include "newrelic/change_queries.hpp"

namespace nerdgraph_typical_test {

using namespace context_test;

namespace {

TypicalResult typical(ContextHarness& h, const std::string& service, const std::string& name) {
    TypicalQuery q;
    q.service = service;
    q.name = name;
    q.trace_id = kTrace;
    q.from_ms = kNow - kDay;
    q.to_ms = kNow;
    q.deadline = h.deadline;
    return run_blocking(h.ioc, h.source().typical(std::move(q)));
}

FakeLogEvent deployment(
    std::string type, std::int64_t before_ms, std::map<std::string, FakeValue> attributes
) {
    FakeLogEvent e{kNow - before_ms, "", std::move(attributes)};
    e.type = std::move(type);
    return e;
}

}  // namespace

TEST_CASE("typical candidates: error-free, same endpoint, nearest the median, not this trace") {
    ContextHarness h;
    const std::string svc = "checkout";
    const std::string name = "POST /api/orders";
    const double durations[] = {100, 120, 140, 900, 80};
    for (int i = 0; i < 5; ++i) {
        auto e = span_at(
            svc,
            i % 2 ? ServiceKind::apm : ServiceKind::otel,
            name,
            kNow - (i + 1) * kMinute,
            durations[i]
        );
        e.trace_id = fmt::format("{:032x}", i + 1);
        h.fake.add_requests(1, {e});
    }
    auto failed = span_at(svc, ServiceKind::apm, name, kNow - 7 * kMinute, 120);
    failed.error = true;
    failed.error_class = "TimeoutError";
    failed.trace_id = fmt::format("{:032x}", 77);
    auto mine = span_at(svc, ServiceKind::otel, name, kNow - 8 * kMinute, 120);
    mine.trace_id = kTrace;
    auto other = span_at(svc, ServiceKind::otel, "GET /api/orders", kNow - 9 * kMinute, 120);
    other.trace_id = fmt::format("{:032x}", 99);
    auto old = span_at(svc, ServiceKind::otel, name, kNow - 2 * kDay, 120);
    old.trace_id = fmt::format("{:032x}", 55);
    h.fake.add_requests(1, {failed, mine, other, old});

    const auto result = typical(h, svc, name);
    REQUIRE(result.status == FetchStatus::found);
    REQUIRE(result.candidates.size() == 5);
    CHECK(result.candidates.front().trace_id == fmt::format("{:032x}", 2));  // 120 ms, the median
    CHECK(result.candidates.front().duration_ms == Approx(120));  // agent seconds read as ms
    for (const auto& c : result.candidates) {
        CHECK(c.trace_id != kTrace);
        CHECK(c.trace_id != fmt::format("{:032x}", 77));
        CHECK(c.trace_id != fmt::format("{:032x}", 99));
        CHECK(c.trace_id != fmt::format("{:032x}", 55));
    }
    CHECK(contains(h.fake.nrql_log().back(), "error.class IS NULL"));
}

TEST_CASE("typical candidates: none in the window is found with no candidate") {
    ContextHarness h;
    const auto result = typical(h, "checkout", "POST /api/orders");
    CHECK(result.status == FetchStatus::found);
    CHECK(result.candidates.empty());
}

TEST_CASE("typical candidates: a name that cannot be quoted is not asked") {
    ContextHarness h;
    const auto result = typical(h, "checkout", std::string("bad\0name", 8));
    CHECK(result.status == FetchStatus::failed);
    CHECK(h.queries() == 0);
}

TEST_CASE("deployments: both event types, by GUID or name, newest first, other services left out") {
    ContextHarness h;
    h.fake.add_logs(
        1,
        {deployment(
             "Deployment",
             4 * kMinute,
             {{"entity.guid", std::string("GUID-SEARCH")},
              {"version", std::string("4.2.0")},
              {"description", std::string("ranking query")}}
         ),
         deployment(
             "ChangeTrackingEvent",
             90 * kMinute,
             {{"entity.name", std::string("search")}, {"category", std::string("Deployment")}}
         ),
         deployment(
             "Deployment",
             10 * kMinute,
             {{"entity.guid", std::string("GUID-BILLING")}, {"version", std::string("9")}}
         ),
         deployment("Deployment", 2 * kDay, {{"entity.guid", std::string("GUID-SEARCH")}}),
         deployment("Log", 5 * kMinute, {{"entity.name", std::string("search")}})}
    );
    ChangeQuery q;
    q.services = {"search"};
    q.guids = {{"GUID-SEARCH", "search"}};
    q.from_ms = kNow - kDay;
    q.to_ms = kNow;
    q.deadline = h.deadline;
    const auto result = run_blocking(h.ioc, h.source().changes(std::move(q)));
    REQUIRE(result.status == FetchStatus::found);
    REQUIRE(result.events.size() == 2);
    CHECK(result.events[0].service == "search");  // from the GUID
    CHECK(result.events[0].version == "4.2.0");
    CHECK(result.events[0].at_ms == kNow - 4 * kMinute);
    CHECK(result.events[1].version.empty());  // a marker without a version
    CHECK(result.events[1].kind == "Deployment");
}

TEST_CASE("deployments: thousands of services and GUIDs still make one query under 4 KB") {
    ChangeQuery q;
    for (int i = 0; i < 2000; ++i) {
        q.services.push_back(fmt::format("service-{}", i));
        q.guids.emplace_back(fmt::format("MXxBUE18QVBQTElDQVRJT058{:08}", i), q.services.back());
    }
    const auto nrql = newrelic::deployments_nrql(q, kMaxDeploymentEvents);
    REQUIRE(nrql.ok());
    CHECK(nrql->size() < newrelic::kMaxBaselineNrql);
    CHECK(contains(*nrql, "'service-0'"));
    CHECK(contains(*nrql, "FROM Deployment, ChangeTrackingEvent"));
}

}  // namespace nerdgraph_typical_test
