// The bundled demo dataset: every trace loads from the embedded copy and shows what it was made
// for.
#include <algorithm>
#include <catch2/catch.hpp>

#include "demo/demo_data.hpp"
#include "newrelic/baseline_results.hpp"
#include "nra/analysis/pipeline.hpp"
#include "nra/formats/formats.hpp"

namespace demo_test {

namespace {

nra::Summary demo(std::string_view id) {
    for (const auto& d : nra::demo_traces()) {
        if (d.trace_id == id) {
            auto s = nra::analyze_document(d.json);
            REQUIRE(s.ok());
            return *s;
        }
    }
    FAIL("no demo trace " << id);
    return {};
}

bool has(const nra::Summary& s, std::string_view kind) {
    return std::any_of(s.findings.begin(), s.findings.end(), [&](const auto& f) {
        return f.kind == kind;
    });
}

}  // namespace

TEST_CASE("the demo dataset holds twelve complete traces", "[unit][demo]") {
    // five stories, three typical requests, the incident's three failures and its typical one
    REQUIRE(nra::demo_traces().size() == 12);
    for (const auto& d : nra::demo_traces()) {
        auto s = nra::analyze_document(d.json);
        REQUIRE(s.ok());
        CHECK(s->trace_id == d.trace_id);
        CHECK(s->complete);
        CHECK(s->service_count >= 2);
    }
}

TEST_CASE("demo: the gift-card incident fails where the statement was refused", "[unit][demo]") {
    const auto s = demo("b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b");
    REQUIRE_FALSE(s.errors.empty());
    CHECK(s.errors.front().service == "giftcard-service");
    CHECK(s.errors.front().message.find("currency_code") != std::string::npos);
    REQUIRE_FALSE(s.suspects.empty());
    CHECK(s.suspects.front().service == "giftcard-service");  // the code, not the database
}

TEST_CASE("demo: checkout shows the N+1 first", "[unit][demo]") {
    const auto s = demo("4bf92f3577b34da6a3ce929d0e0e4736");
    REQUIRE_FALSE(s.findings.empty());
    CHECK(s.findings[0].kind == "n_plus_one_db");
    CHECK(s.findings[0].count == 40);
    CHECK(s.findings[0].service == "order-service");
    CHECK_FALSE(s.findings[0].location.empty());
}

TEST_CASE("demo: search shows the slow query", "[unit][demo]") {
    const auto s = demo("7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d");
    REQUIRE_FALSE(s.findings.empty());
    CHECK(s.findings[0].kind == "slow_db");
    CHECK(s.findings[0].total_ms > 1500);
}

TEST_CASE("demo: the cascading error starts in fraud-check and was retried", "[unit][demo]") {
    const auto s = demo("a1b2c3d4e5f60718293a4b5c6d7e8f90");
    REQUIRE_FALSE(s.errors.empty());
    CHECK(s.errors[0].origin);
    CHECK(s.errors[0].service == "fraud-check");
    CHECK(has(s, "retries"));
    CHECK(has(s, "error_origin"));
}

TEST_CASE("demo: the profile page runs independent calls one after another", "[unit][demo]") {
    const auto s = demo("0af7651916cd43dd8448eb211c80319c");
    CHECK(has(s, "sequential_calls"));
    CHECK(has(s, "uninstrumented_gap"));
}

TEST_CASE("demo: the clean request has nothing to fix", "[unit][demo]") {
    const auto s = demo("5f2b7c9d1e3a4b6c8d0e2f4a6b8c0d1e");
    CHECK(s.findings.empty());
    CHECK(s.errors.empty());
    CHECK(s.duration_ms < 100);
}

TEST_CASE("demo: every callee-keyed baseline is a callee of some demo span", "[unit][demo]") {
    auto stats = nra::read_baseline_results(nra::demo_baselines_json());
    REQUIRE(stats.ok());
    std::size_t callees = 0;
    for (const auto& s : *stats) {
        if (s.key.callee.empty()) continue;
        ++callees;
        bool found = false;
        for (const auto& d : nra::demo_traces()) {
            auto trace = nra::read_trace(d.json, nra::ReadOptions{}, {});
            REQUIRE(trace.ok());
            for (const auto& span : trace->spans) {
                found = found || (span.service == s.key.service && span.name == s.key.name &&
                                  nra::callee_key(span) == s.key.callee);
            }
        }
        CHECK(found);
    }
    CHECK(callees >= 2);
}

}  // namespace demo_test
