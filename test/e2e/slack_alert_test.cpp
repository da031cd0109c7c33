// Alert channels and incident context end to end: `nr-analyzer serve` reads a New Relic alert
// posted by a bot in an alert channel, fetches the trace, its log lines and its blast radius from
// the fake NerdGraph (which evaluates the NRQL it receives), and answers in the alert's thread.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"
#include "support/demo_rows.hpp"

namespace slack_alert_test {

using namespace nra::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

const std::string kOrders = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const std::string kAlerts = "CALERTS001";
const std::string kVendorCall = "External/risk-api.vendor.example/SpringWebClient/POST";
constexpr std::int64_t kDemoLatestStart = 1'795'169'592'026;  // the demo trace's last span start

std::string alert(const std::string& event_id, const std::string& channel, const std::string& ts) {
    json event{
        {"type", "message"},
        {"subtype", "bot_message"},
        {"bot_id", "BNEWRELIC"},
        {"channel", channel},
        {"ts", ts},
        {"text", ""},
        {"attachments",
         json::array(
             {{{"fallback", "Critical: error logs in fraud-check"},
               {"fields", json::array({{{"title", "trace.id"}, {"value", kOrders}}})}}}
         )},
    };
    return json{
        {"type", "event_callback"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"event_id", event_id},
        {"authorizations", json::array({{{"user_id", "UBOT"}, {"is_bot", true}}})},
        {"event", event}}
        .dump();
}

struct World {
    World() {
        const std::int64_t latest = now_ms() - 600'000;
        nerdgraph.add_rows(1, rebase_rows(demo_trace_rows(kOrders), latest));
        const auto at = [latest](std::int64_t demo_ms) {
            return demo_ms - kDemoLatestStart + latest;
        };
        // Logs in context (agent spelling) and an OpenTelemetry line (trace_id/span_id).
        nerdgraph.add_logs(
            1,
            {{at(1'795'169'590'840),
              "Risk vendor call failed: Read timed out <!channel>",
              {{"trace.id", kOrders},
               {"span.id", "235c930864201495"},
               {"level", "ERROR"},
               {"entity.name", "fraud-check"}}},
             {at(1'795'169'590'844),
              "fraud check timed out after 1000 ms",
              {{"trace_id", kOrders},
               {"span_id", "68e2b292285f0789"},
               {"severity.text", "WARN"},
               {"service.name", "payment-service"}}},
             {at(1'795'169'590'845),
              "another trace's line",
              {{"trace.id", "ffffffffffffffffffffffffffffffff"}, {"level", "ERROR"}}}}
        );
        // fraud-check's calls to the vendor in the last hour: 12 fine long ago, 30 failing lately.
        std::vector<FakeRequestEvent> calls;
        const std::int64_t now = now_ms();
        for (int i = 0; i < 42; ++i) {
            FakeRequestEvent e;
            e.service = "fraud-check";
            e.endpoint = kVendorCall;
            e.span_event = true;
            e.duration_ms = 1000;
            e.timestamp_ms = i < 12 ? now - 50 * 60'000 + i * 1000 : now - 20 * 60'000 + i * 1000;
            e.error = i >= 12;
            if (e.error) e.error_class = "java.net.SocketTimeoutException";
            e.user_id = i >= 12 ? "user-" + std::to_string(i % 7) : "";
            calls.push_back(e);
        }
        nerdgraph.add_requests(1, calls);
    }
    FakeNerdGraph nerdgraph;
};

std::string text_of(const SlackCall& call) {
    return call.body.dump();
}

// Waits until the picture was shared: the answer's last step, after any update in place.
std::vector<SlackCall> answered(SlackE2E& e2e) {
    for (std::size_t n = 4; n < 40; ++n) {
        if (e2e.slack.wait_for_calls(n, 60s) < n) break;
        const auto calls = e2e.slack.calls();
        for (const auto& call : calls) {
            if (call.method == "files.completeUploadExternal") return calls;
        }
    }
    return e2e.slack.calls();
}

// A posted message as it reads now: its last chat.update, else the post itself.
std::string latest_text(const std::vector<SlackCall>& calls, const SlackCall& post) {
    std::string text = text_of(post);
    for (const auto& call : calls) {
        if (call.method == "chat.update" && call.body.value("ts", "") == post.ts) {
            text = text_of(call);
        }
    }
    return text;
}

}  // namespace

TEST_CASE("an alert from a bot in an alert channel is answered in its thread with its context") {
    World world;
    SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", world.nerdgraph.url()},
         {"NEW_RELIC_REQUERIES", "0"},
         {"NR_ANALYZER_ALERT_CHANNELS", kAlerts}}
    );
    const std::string ts = std::to_string(epoch_s()) + ".000100";
    REQUIRE(e2e.post("application/json", alert("EvA1", kAlerts, ts)).status == 200);
    const auto calls = answered(e2e);  // reaction, summary, detail, picture (updates between)
    CHECK(calls[0].method == "reactions.add");
    CHECK(calls[0].body.value("name", "") == "eyes");
    CHECK(calls[0].body.value("timestamp", "") == ts);
    std::vector<SlackCall> posts;
    for (const auto& call : calls) {
        if (call.method == "chat.postMessage") posts.push_back(call);
    }
    REQUIRE(posts.size() >= 2);
    for (const auto& post : posts) {
        CHECK(post.body.value("channel", "") == kAlerts);
        CHECK(post.body.value("thread_ts", "") == ts);  // never at top level
    }
    const auto summary = latest_text(calls, posts[0]);
    CHECK(summary.find("Not alone: 30 of 42") != std::string::npos);
    CHECK(summary.find("failed the same way") != std::string::npos);
    CHECK(summary.find("7 users") != std::string::npos);
    CHECK(summary.find("Log of the failing span") != std::string::npos);
    CHECK(summary.find("&lt;!channel&gt;") != std::string::npos);
    CHECK(summary.find("<!channel>") == std::string::npos);
    const auto detail = latest_text(calls, posts[1]);
    CHECK(
        detail.find("fraud check timed out after 1000 ms") != std::string::npos
    );  // OTel spelling
    CHECK(detail.find("another trace") == std::string::npos);
    bool asked_logs = false;
    for (const auto& nrql : world.nerdgraph.nrql_log()) {
        asked_logs = asked_logs || nrql.find("FROM Log") != std::string::npos;
    }
    CHECK(asked_logs);

    // The same alert again (Slack's retry) and a repeat of the trace in a new alert.
    const auto before = e2e.slack.calls().size();
    const std::string later = std::to_string(epoch_s() + 1) + ".000100";
    REQUIRE(e2e.post("application/json", alert("EvA2", kAlerts, later)).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(before + 2, 30s) >= before + 2);  // reaction, one pointer
    const auto after = e2e.slack.calls();
    CHECK(text_of(after.back()).find("was analysed here") != std::string::npos);
}

TEST_CASE("a bot's message outside alert channels is never read") {
    SlackE2E e2e({{"NR_ANALYZER_ALERT_CHANNELS", kAlerts}});
    REQUIRE(
        e2e.post("application/json", alert("EvB1", "CGENERAL01", "1700000000.000100")).status == 200
    );
    // A /trace afterwards is answered (one job at a time): had the message been read, its
    // reaction would come first.
    REQUIRE(e2e.command(kOrders).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(1, 30s) >= 1);
    CHECK(e2e.slack.calls().front().method == "chat.postMessage");
    for (const auto& call : e2e.slack.calls()) CHECK(call.method != "reactions.add");
}

}  // namespace slack_alert_test
