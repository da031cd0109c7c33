// Baselines in Slack: `serve` answers /trace with what is unusual (demo dataset), and a baseline
// query that hangs at New Relic still lets the summary arrive, marked without baseline.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"
#include "support/demo_rows.hpp"

namespace slack_baseline_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const std::string kSearch = "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d";

std::string message_text(const SlackCall& call) {
    return call.body.dump();  // text and blocks: the sentence may sit in either
}

}  // namespace

TEST_CASE("/trace on the demo's slow search says which part was unusual and by how much") {
    SlackE2E e2e;
    REQUIRE(e2e.command(kSearch).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    const auto calls = e2e.slack.calls();
    const auto summary = message_text(calls[0]);
    CHECK(summary.find("1.78 s of this 2.07 s request is unusual") != std::string::npos);
    CHECK(summary.find("Datastore/statement/Postgres/products/select") != std::string::npos);
    CHECK(summary.find("usually 62.0 ms") != std::string::npos);
    CHECK(message_text(calls[1]).find("×30 (usually 62.0 ms)") != std::string::npos);
}

TEST_CASE("a baseline query that hangs leaves the summary, marked without baseline") {
    FakeNerdGraph nerdgraph;
    nerdgraph.add_rows(1, rebase_rows(demo_trace_rows(kSearch), now_ms() - 600'000));
    for (int i = 0; i < 5; ++i) {
        nerdgraph.push_fault(
            NerdGraphFault::of(NerdGraphFault::Kind::hang).when_nrql_contains("FACET entity.name")
        );
    }
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NEW_RELIC_REQUERIES", "0"}}
    );
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(e2e.command(kSearch).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(2, 60s) >= 2);
    // The baseline has its own short budget (8 s), far below the trace query's.
    CHECK(std::chrono::steady_clock::now() - started < 30s);
    const auto calls = e2e.slack.calls();
    CHECK(calls[0].method == "chat.postMessage");
    const auto summary = message_text(calls[0]);
    CHECK(summary.find("GET /api/search") != std::string::npos);
    CHECK(summary.find("No baseline") != std::string::npos);
    CHECK(summary.find("is unusual") == std::string::npos);
    bool asked = false;
    for (const auto& nrql : nerdgraph.nrql_log()) {
        asked = asked || nrql.find("FACET entity.name, name") != std::string::npos;
    }
    CHECK(asked);
}

}  // namespace slack_baseline_test
