// The real `serve` binary with the demo dataset, the fake Slack: the "Analyze trace" message
// shortcut, link unfurls, the summary's buttons (signed, forged values, double clicks), the App
// Home, and the waterfall picture with the files API failing.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"

namespace slack_extras_test {

using namespace nra::test;
using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

const std::string kDemo = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kForm = "application/x-www-form-urlencoded";

std::string interactive(const Json& payload) {
    return "payload=" + form_encode(payload.dump());
}

Json shortcut(const std::string& text, const std::string& thread_ts) {
    Json message{{"ts", "1700000600.000100"}, {"text", text}, {"user", "U2"}};
    if (!thread_ts.empty()) message["thread_ts"] = thread_ts;
    return Json{
        {"type", "message_action"},
        {"callback_id", "analyze_trace"},
        {"api_app_id", "A1"},
        {"team", {{"id", "T1"}}},
        {"user", {{"id", "U1"}}},
        {"channel", {{"id", "C7"}}},
        {"message_ts", "1700000600.000100"},
        {"response_url", "RESPONSE"},
        {"trigger_id", "1.2.3"},
        {"message", message}};
}

Json button(const std::string& action_id, const std::string& value, const std::string& ts) {
    return Json{
        {"type", "block_actions"},
        {"api_app_id", "A1"},
        {"team", {{"id", "T1"}}},
        {"user", {{"id", "U1"}}},
        {"channel", {{"id", "C1"}}},
        {"container", {{"type", "message"}, {"message_ts", ts}, {"channel_id", "C1"}}},
        {"response_url", "RESPONSE"},
        {"actions", {{{"action_id", action_id}, {"value", value}, {"type", "button"}}}}};
}

std::vector<SlackCall> calls_of(const FakeSlack& slack, const std::string& method) {
    std::vector<SlackCall> out;
    for (auto& call : slack.calls()) {
        if (call.method == method) out.push_back(call);
    }
    return out;
}

std::string with_response_url(Json payload, const FakeSlack& slack) {
    payload["response_url"] = slack.response_url("act");
    return interactive(payload);
}

}  // namespace

TEST_CASE("the Analyze trace shortcut answers in the message's thread") {
    SlackE2E e2e;
    const auto body =
        with_response_url(shortcut("errors again, see " + kDemo, "1700000500.000001"), e2e.slack);
    const auto ack = e2e.post(kForm, body);
    CHECK(ack.status == 200);
    CHECK(ack.took < 3000ms);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
    for (const auto& post : calls_of(e2e.slack, "chat.postMessage")) {
        CHECK(post.body["channel"] == "C7");
        CHECK(post.body["thread_ts"] == "1700000500.000001");  // the reply's own thread
    }
    // No trace id in the message: a private answer, nothing in the channel.
    const auto none = with_response_url(shortcut("nothing here", ""), e2e.slack);
    CHECK(e2e.post(kForm, none).status == 200);
    REQUIRE(e2e.slack.wait_for_method("response_url", 1, 30s) >= 1);
    const auto said = calls_of(e2e.slack, "response_url");
    CHECK(said[0].body.value("response_type", "ephemeral") == "ephemeral");
    CHECK(e2e.server->terminate() == 0);
    CHECK(calls_of(e2e.slack, "chat.postMessage").size() == 2);
}

TEST_CASE("New Relic links are unfurled with a compact summary, other links are not") {
    SlackE2E e2e;
    const std::string link = "https://one.eu.newrelic.com/distributed-tracing?traceId=" + kDemo;
    const Json event{
        {"type", "event_callback"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"event_id", "EvU1"},
        {"event",
         {{"type", "link_shared"},
          {"channel", "C3"},
          {"user", "U1"},
          {"message_ts", "1700000700.000100"},
          {"unfurl_id", "C3.1700000700.000100.abc"},
          {"source", "conversations_history"},
          {"links",
           {{{"domain", "one.eu.newrelic.com"}, {"url", link}},
            {{"domain", "one.newrelic.com"}, {"url", "https://one.newrelic.com/dashboards"}}}}}}};
    CHECK(e2e.post("application/json", event.dump()).status == 200);
    REQUIRE(e2e.slack.wait_for_method("chat.unfurl", 1, 30s) >= 1);
    const auto unfurl = calls_of(e2e.slack, "chat.unfurl")[0].body;
    const std::string unfurls = unfurl["unfurls"].is_string() ? unfurl["unfurls"].get<std::string>()
                                                              : unfurl["unfurls"].dump();
    CHECK(unfurls.find(link) != std::string::npos);
    CHECK(unfurls.find("dashboards") == std::string::npos);
    INFO(unfurls);
    CHECK(unfurls.find("*Spans*") != std::string::npos);
    CHECK(unfurls.find("Top finding") != std::string::npos);
}

TEST_CASE("summary buttons: full waterfall once per press, forged values refused") {
    SlackE2E e2e;
    e2e.command(kDemo);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
    const auto summary = calls_of(e2e.slack, "chat.postMessage")[0];
    CHECK(summary.body["blocks"].dump().find("trace_waterfall") != std::string::npos);
    const auto press = with_response_url(button("trace_waterfall", kDemo, summary.ts), e2e.slack);
    CHECK(e2e.post(kForm, press).status == 200);
    CHECK(e2e.post(kForm, press).status == 200);  // a double click
    const auto forged =
        with_response_url(button("trace_waterfall", "' OR 1=1 --", summary.ts), e2e.slack);
    CHECK(e2e.post(kForm, forged).status == 200);
    CHECK(e2e.post(kForm, press, {}, epoch_s() - 600).status == 401);  // stale signature
    REQUIRE(e2e.slack.wait_for_method("response_url", 1, 30s) >= 1);
    CHECK(e2e.server->terminate() == 0);
    std::size_t full = 0;
    for (const auto& post : calls_of(e2e.slack, "chat.postMessage")) {
        if (post.body.value("thread_ts", "") == summary.ts) ++full;
    }
    CHECK(full >= 2);  // the detail, then the full waterfall (one press only)
    const auto said = calls_of(e2e.slack, "response_url");
    REQUIRE(said.size() == 1);
    CHECK(said[0].body.value("text", "").find("no longer points at a trace") != std::string::npos);
}

TEST_CASE("the App Home lists the latest analyses of the workspace") {
    SlackE2E e2e;
    e2e.command(kDemo);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
    const Json opened{
        {"type", "event_callback"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"event_id", "EvH1"},
        {"event",
         {{"type", "app_home_opened"}, {"user", "U1"}, {"channel", "D1"}, {"tab", "home"}}}};
    CHECK(e2e.post("application/json", opened.dump()).status == 200);
    REQUIRE(e2e.slack.wait_for_method("views.publish", 1, 30s) >= 1);
    const auto view = calls_of(e2e.slack, "views.publish")[0].body;
    CHECK(view["user_id"] == "U1");
    CHECK(view["view"].dump().find(kDemo) != std::string::npos);
    CHECK(view["view"]["type"] == "home");
}

TEST_CASE("the files API failing still lets the text answer arrive, and the thread hears why") {
    SlackE2E e2e;
    e2e.slack.fail_next("files.getUploadURLExternal", "missing_scope");
    e2e.command(kDemo);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 3, 30s) >= 3);
    CHECK(e2e.server->terminate() == 0);
    CHECK(calls_of(e2e.slack, "files.completeUploadExternal").empty());
    const auto posts = calls_of(e2e.slack, "chat.postMessage");
    REQUIRE(posts.size() == 3);  // summary, detail, and the note where the picture was expected
    const auto note = posts[2].body["text"].get<std::string>();
    CHECK(note.find("could not be shared") != std::string::npos);
    CHECK(posts[2].body["thread_ts"] == posts[1].body["thread_ts"]);
    CHECK(e2e.server->output().find("missing_scope") != std::string::npos);
}

}  // namespace slack_extras_test
