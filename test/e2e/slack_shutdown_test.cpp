// SIGTERM while New Relic hangs: the jobs still running at the drain deadline are cancelled and
// every user whose request was acked hears that the bot restarted (through its response_url, or
// in the thread for a mention); the process exits 0 and logs each cancelled job.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"

namespace slack_shutdown_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

std::size_t told_restarted(const FakeSlack& slack, const std::string& method) {
    std::size_t n = 0;
    for (const auto& call : slack.calls()) {
        const auto text = call.body.value("text", std::string());
        n += call.method == method &&
                     text.find("restarted before your request finished") != std::string::npos
                 ? 1
                 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("SIGTERM with New Relic hanging: every acked user is told to ask again") {
    FakeNerdGraph nerdgraph;
    for (int i = 0; i < 20; ++i)
        nerdgraph.push_fault(NerdGraphFault::of(NerdGraphFault::Kind::hang));
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NR_ANALYZER_JOBS", "2"},  // two run (waiting on New Relic), the others wait in line
         {"NR_ANALYZER_DRAIN_SECONDS", "1"}}
    );
    for (const auto* id :
         {"4bf92f3577b34da6a3ce929d0e0e4736",
          "0af7651916cd43dd8448eb211c80319c",
          "11111111111111111111111111111111"}) {
        const auto ack = e2e.command(id);
        REQUIRE(ack.status == 200);
        CHECK(ack.body.find("Analysing") != std::string::npos);
    }
    const auto mention =
        SlackE2E::mention("Ev1", "<@UBOT> 22222222222222222222222222222222", "1700000400.000100");
    REQUIRE(e2e.post("application/json", mention).status == 200);
    CHECK(e2e.server->terminate() == 0);
    CHECK(told_restarted(e2e.slack, "response_url") == 3);
    CHECK(told_restarted(e2e.slack, "chat.postEphemeral") == 1);
    const auto& out = e2e.server->output();
    std::size_t logged = 0;
    for (auto at = out.find("job cancelled by a shutdown"); at != std::string::npos;
         at = out.find("job cancelled by a shutdown", at + 1)) {
        ++logged;
    }
    CHECK(logged == 4);
    CHECK(out.find("4 unfinished job(s) cancelled") != std::string::npos);
}

}  // namespace slack_shutdown_test
