// The bot end to end: signed Slack requests into `nr-analyzer serve`, posts out to the fake
// Slack; traces from the demo dataset or the fake NerdGraph.
#include <catch2/catch.hpp>
#include <fstream>
#include <vector>

#include "slack_e2e.hpp"
#include "support/scratch_dir.hpp"
#include "support/test_pki.hpp"

namespace slack_serve_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const std::string kDemo = "4bf92f3577b34da6a3ce929d0e0e4736";

}  // namespace

TEST_CASE("/trace: an ack at once, the summary in the channel, the detail in its thread") {
    SlackE2E e2e;
    const auto ack = e2e.command(kDemo);
    CHECK(ack.status == 200);
    CHECK(ack.took < 3000ms);  // Slack's deadline, with a wide margin
    CHECK(ack.body.find("Analysing trace") != std::string::npos);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    const auto calls = e2e.slack.calls();
    CHECK(calls[0].method == "chat.postMessage");
    CHECK(calls[0].body["channel"] == "C1");
    CHECK_FALSE(calls[0].body.contains("thread_ts"));
    CHECK(calls[0].body["blocks"].is_array());
    CHECK(calls[0].authorization == std::string("Bearer ") + FakeSlack::kBotToken);
    CHECK(calls[1].body["thread_ts"] == calls[0].ts);
    CHECK(e2e.server->terminate() == 0);  // SIGTERM: a graceful stop, exit code 0
    const auto& logs = e2e.server->output();
    CHECK(logs.find("chat.postMessage") != std::string::npos);  // the logs do say what happened
    CHECK(logs.find(kSecret) == std::string::npos);
    CHECK(logs.find(FakeSlack::kBotToken) == std::string::npos);
}

TEST_CASE("Slack rate-limiting and refusing the blocks still gets the answer through") {
    SlackE2E e2e;
    e2e.slack.rate_limit_next("chat.postMessage", 1);  // Retry-After: 1 s, then accepted
    e2e.slack.set_blocks_limit(200);                   // every Block Kit message is "too long"
    CHECK(e2e.command(kDemo).status == 200);
    // 429, then blocks refused and text accepted, for the summary and for the detail. Waits for
    // exactly those posts (the picture's upload calls may come in between on a busy machine).
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 5, 60s) >= 5);
    const auto calls = e2e.slack.calls();
    std::vector<nlohmann::json> accepted;
    for (const auto& c : calls) {
        if (c.method == "chat.postMessage" && !c.ts.empty()) accepted.push_back(c.body);
    }
    REQUIRE(accepted.size() == 2);  // summary and detail, as plain text
    CHECK_FALSE(accepted[0].contains("blocks"));
    CHECK(accepted[0]["text"].get<std::string>().find("POST /api/checkout") != std::string::npos);
    CHECK(accepted[1].contains("thread_ts"));
}

TEST_CASE("a mention in a thread is answered in that thread, once, however often it arrives") {
    SlackE2E e2e;
    const auto body = SlackE2E::mention("Ev1", "<@UBOT> look at " + kDemo, "1700000400.000100");
    for (int retry = 0; retry < 4; ++retry) {
        std::map<std::string, std::string> headers;
        if (retry > 0) headers["X-Slack-Retry-Num"] = std::to_string(retry);
        const auto ack = e2e.post("application/json", body, headers);
        CHECK(ack.status == 200);
    }
    // A later, different event: with one job at a time, its reply proves the others are done.
    const auto sentinel = SlackE2E::mention("Ev2", "<@UBOT> hello", "1700000400.000100");
    CHECK(e2e.post("application/json", sentinel).status == 200);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 3, 30s) >= 3);
    std::vector<SlackCall> posts;
    std::vector<SlackCall> shared;
    for (const auto& call : e2e.slack.calls()) {
        if (call.method == "chat.postMessage") posts.push_back(call);
        if (call.method == "files.completeUploadExternal") shared.push_back(call);
    }
    REQUIRE(posts.size() == 3);  // summary + detail once, then the sentinel's hint
    for (const auto& call : posts) CHECK(call.body["thread_ts"] == "1700000400.000100");
    CHECK(posts[2].body["text"].get<std::string>().find("no trace id") != std::string::npos);
    // The waterfall picture follows the detail into the same thread, once.
    REQUIRE(shared.size() == 1);
    CHECK(shared[0].body.dump().find("1700000400.000100") != std::string::npos);
    CHECK(e2e.slack.shared(shared[0].ts));  // really shared, not only answered ok:true
}

TEST_CASE("New Relic failing: acks stay fast and the user hears why") {
    FakeNerdGraph nerdgraph;
    for (int i = 0; i < 50; ++i) nerdgraph.push_fault(NerdGraphFault::http(503));
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()}}
    );
    const auto first = e2e.command(kDemo);
    const auto second = e2e.command("0af7651916cd43dd8448eb211c80319c");
    CHECK(first.status == 200);
    CHECK(second.status == 200);
    CHECK(first.took < 3000ms);
    CHECK(second.took < 3000ms);
    REQUIRE(e2e.slack.wait_for_calls(2, 60s) >= 2);
    for (const auto& call : e2e.slack.calls()) {
        CHECK(call.method == "response_url");
        CHECK(
            call.body["text"].get<std::string>().find("New Relic is having trouble") !=
            std::string::npos
        );
    }
}

TEST_CASE("a trace larger than NR_ANALYZER_SPAN_BUDGET: told at once, nothing paged") {
    FakeNerdGraph nerdgraph;
    const std::string id = "8e3a2b6c0d5f7b9e1a3c4d6f8b0c2e43";
    nerdgraph.add_rows(1, make_trace_rows(id, 12'000, RowDialect::agent, now_ms() - 3'600'000));
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NR_ANALYZER_SPAN_BUDGET", "10000"}}
    );
    REQUIRE(e2e.command(id).status == 200);
    REQUIRE(e2e.slack.wait_for_method("response_url", 1, 60s) == 1);
    const auto text = e2e.slack.calls().back().body["text"].get<std::string>();
    CHECK(text.find("too large to analyse here: 12000 spans") != std::string::npos);
    CHECK(text.find("at most 10000 spans") != std::string::npos);
    CHECK(nerdgraph.rows_queries() == 1);  // the first page and the count, no window pages
}

TEST_CASE("New Relic hanging: acks stay fast while jobs wait, then the user hears why") {
    FakeNerdGraph nerdgraph;
    for (int i = 0; i < 10; ++i)
        nerdgraph.push_fault(NerdGraphFault::of(NerdGraphFault::Kind::hang));
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NEW_RELIC_QUERY_BUDGET_SECONDS", "2"},
         {"NR_ANALYZER_JOBS", "2"}}
    );
    // Both jobs hang on New Relic; commands keep arriving and are acked at once meanwhile.
    std::vector<SlackE2E::Reply> acks;
    acks.push_back(e2e.command(kDemo));
    acks.push_back(e2e.command("0af7651916cd43dd8448eb211c80319c"));
    REQUIRE(nerdgraph.server().wait_for_requests(2, 30s) >= 2);
    for (int i = 0; i < 3; ++i) acks.push_back(e2e.command("not-a-trace-id"));
    CHECK(e2e.slack.calls().empty());  // nothing answered yet: New Relic still holds them
    for (const auto& ack : acks) {
        CHECK(ack.status == 200);
        CHECK(ack.took < 1000ms);
    }
    REQUIRE(e2e.slack.wait_for_calls(2, 60s) >= 2);
    for (const auto& call : e2e.slack.calls()) {
        CHECK(call.method == "response_url");
        CHECK(
            call.body["text"].get<std::string>().find("did not answer in time") != std::string::npos
        );
    }
}

TEST_CASE("over TLS with TLS_CERT_FILE and TLS_KEY_FILE") {
    const auto& leaf = test_pki().leaf("127.0.0.1");
    const std::string dir = NRA_TEST_TMP_DIR;
    std::ofstream(dir + "/server-cert.pem") << leaf.cert_pem;
    std::ofstream(dir + "/server-key.pem") << leaf.key_pem;
    SlackE2E e2e(
        {{"TLS_CERT_FILE", dir + "/server-cert.pem"}, {"TLS_KEY_FILE", dir + "/server-key.pem"}}
    );
    REQUIRE(e2e.server->url("/").rfind("https://", 0) == 0);
    e2e.client_options.ca_pem = test_pki().ca_pem;
    const auto ack = e2e.command(kDemo);
    CHECK(ack.status == 200);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    e2e.client_options.ca_pem.clear();  // an untrusted server certificate is refused
    CHECK(e2e.command(kDemo).status == -1);
}

}  // namespace slack_serve_test
