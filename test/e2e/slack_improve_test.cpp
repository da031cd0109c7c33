// /improve end to end: signed commands and button presses into `nr-analyzer serve` (demo metrics
// and traces), posts out to the fake Slack, tickets into the fake Jira.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "jira/jira_config.hpp"
#include "slack_e2e.hpp"
#include "support/fake_jira.hpp"

namespace slack_improve_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

// A block_actions payload for the "Create Jira ticket" button of `endpoint` in `thread`.
std::string jira_button(
    const std::string& service,
    const std::string& endpoint,
    const std::string& thread,
    const std::string& user = "U1"
) {
    const nlohmann::json payload{
        {"type", "block_actions"},
        {"api_app_id", "A1"},
        {"team", {{"id", "T1"}}},
        {"user", {{"id", user}}},
        {"channel", {{"id", "C1"}}},
        {"container",
         {{"type", "message"},
          {"message_ts", "1700000600.000100"},
          {"channel_id", "C1"},
          {"thread_ts", thread}}},
        {"trigger_id", "1.2.3"},
        {"response_url", "http://127.0.0.1:1/response/x"},
        {"actions",
         nlohmann::json::array(
             {{{"action_id", "improve_jira"},
               {"type", "button"},
               {"value", nlohmann::json{{"s", service}, {"e", endpoint}}.dump()}}}
         )}};
    return "payload=" + nra::test::form_encode(payload.dump());
}

// The environment of a server that files tickets into `jira`.
std::map<std::string, std::string> jira_env(const FakeJira& jira) {
    return {
        {"JIRA_URL", jira.base_url()},
        {"JIRA_EMAIL", FakeJira::kEmail},
        {"JIRA_API_TOKEN", FakeJira::kApiToken},
        {"JIRA_PROJECT", "OPS"}};
}

}  // namespace

TEST_CASE("/improve: ack at once, the report in the channel, one detail per endpoint in its thread"
) {
    SlackE2E e2e;
    const auto ack = e2e.command_named("/improve", "web-gateway");
    CHECK(ack.status == 200);
    CHECK(ack.took < 3000ms);
    CHECK(ack.body.find("web-gateway") != std::string::npos);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    // Details follow the summary; wait until the thread stops growing (a later command's reply
    // proves this one is done: jobs run one at a time).
    CHECK(e2e.command_named("/improve", "help").status == 200);
    e2e.command_named("/improve", "no-such-service");
    REQUIRE(e2e.slack.wait_for_method("response_url", 1, 30s) >= 1);
    const auto calls = e2e.slack.calls();
    REQUIRE(calls[0].method == "chat.postMessage");
    CHECK(calls[0].body["channel"] == "C1");
    CHECK_FALSE(calls[0].body.contains("thread_ts"));
    const auto headline = calls[0].body["text"].get<std::string>();
    CHECK(headline.find("web-gateway") != std::string::npos);
    int details = 0;
    bool button = false;
    for (const auto& c : calls) {
        if (c.method != "chat.postMessage" || !c.body.contains("thread_ts")) continue;
        CHECK(c.body["thread_ts"] == calls[0].ts);
        ++details;
        button = button || c.body.dump().find("improve_jira") != std::string::npos;
    }
    CHECK(details >= 1);
    CHECK(button);
    const auto& last = calls.back();
    CHECK(last.method == "response_url");
    CHECK(last.body["text"].get<std::string>().find("no data for") != std::string::npos);
}

TEST_CASE("the Jira button files exactly one ticket, a later press comments on it") {
    FakeJira jira;
    SlackE2E e2e(jira_env(jira));
    const auto body = jira_button("web-gateway", "POST /api/checkout", "1700000600.000100");
    CHECK(e2e.post("application/x-www-form-urlencoded", body).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(1, 30s) >= 1);
    // The same user's repeat within 10 s is a double click (ignored); a colleague's press is not.
    CHECK(e2e.post("application/x-www-form-urlencoded", body).status == 200);
    const auto other = jira_button("web-gateway", "POST /api/checkout", "1700000600.000100", "U2");
    CHECK(e2e.post("application/x-www-form-urlencoded", other).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(2, 30s) >= 2);
    CHECK(e2e.server->terminate() == 0);
    CHECK(e2e.slack.calls().size() == 2);
    CHECK(jira.issues().size() == 1);
    CHECK(jira.comments().size() == 1);
    const auto calls = e2e.slack.calls();
    CHECK(calls[0].body["thread_ts"] == "1700000600.000100");
    CHECK(calls[0].body["text"].get<std::string>().find("Created") != std::string::npos);
    CHECK(calls[1].body["text"].get<std::string>().find("already open") != std::string::npos);
    CHECK(e2e.server->output().find(FakeJira::kApiToken) == std::string::npos);
}

TEST_CASE("a Jira 400 echoing the request: our sentence in the thread, no secret in the log") {
    FakeJira jira;
    jira.push_fault(JiraFault::echo(JiraOp::create, 400));
    SlackE2E e2e(jira_env(jira));
    const auto body = jira_button("web-gateway", "POST /api/checkout", "1700000600.000100");
    CHECK(e2e.post("application/x-www-form-urlencoded", body).status == 200);
    REQUIRE(e2e.slack.wait_for_calls(1, 30s) >= 1);
    CHECK(e2e.server->terminate() == 0);
    const auto text = e2e.slack.calls().at(0).body["text"].get<std::string>();
    // Jira's field names at most: its messages quote the request (and what people typed).
    CHECK(
        text ==
        "Could not file the Jira ticket: Jira refused the request (HTTP 400; fields: "
        "customfield_10010, summary)"
    );
    const std::string pair = std::string(FakeJira::kEmail) + ":" + FakeJira::kApiToken;
    const std::string basic = nra::jira::base64_encode(pair);
    const std::string log = e2e.server->output();
    CHECK(log.find("Jira create failed") != std::string::npos);  // the log still says what failed
    for (const std::string& secret :
         {std::string(FakeJira::kApiToken),
          std::string(FakeJira::kEmail),
          std::string("bot%40example.com"),
          basic.substr(0, basic.find('=')),
          form_encode(basic)}) {
        INFO(secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}

}  // namespace slack_improve_test
