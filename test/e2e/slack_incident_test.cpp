// /incident end to end: signed commands and mentions into `nr-analyzer serve` on the embedded
// demo (web-gateway's gift-card endpoint fails since giftcard-service 2.8.0), answers out to the
// fake Slack.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "slack_e2e.hpp"

namespace slack_incident_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

std::string all_text(const nlohmann::json& body) {
    return body.dump();
}

}  // namespace

TEST_CASE("/incident: ack at once, the suspect in the channel, the evidence in its thread") {
    SlackE2E e2e;
    const auto ack = e2e.command_named("/incident", "web-gateway 1h");
    CHECK(ack.status == 200);
    CHECK(ack.took < 3000ms);
    CHECK(ack.body.find("web-gateway") != std::string::npos);
    CHECK(ack.body.find("60 min") != std::string::npos);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 60s) >= 2);
    const auto calls = e2e.slack.calls();
    REQUIRE(calls[0].method == "chat.postMessage");
    CHECK(calls[0].body["channel"] == "C1");
    CHECK_FALSE(calls[0].body.contains("thread_ts"));
    const auto summary = all_text(calls[0].body);
    CHECK(summary.find("Suspect: `giftcard-service`") != std::string::npos);
    CHECK(summary.find("currency_code") != std::string::npos);
    CHECK(summary.find("POST /api/gift-cards/redeem") != std::string::npos);  // the rare endpoint
    CHECK(summary.find("deployed `2.8.0`") != std::string::npos);
    CHECK(summary.find("last 1 h") != std::string::npos);
    CHECK(calls[0].body["blocks"].size() <= 50);
    REQUIRE(calls[1].method == "chat.postMessage");
    CHECK(calls[1].body["thread_ts"] == calls[0].ts);
    const auto detail = all_text(calls[1].body);
    CHECK(detail.find("b7e1c4d2a9f04e3b8c6d5a4f3e2d1c0b") != std::string::npos);  // evidence ids
    CHECK(detail.find("*Endpoints*") != std::string::npos);
}

TEST_CASE("/incident: bad input gets a short private answer and no post") {
    SlackE2E e2e;
    const auto week = e2e.command_named("/incident", "web-gateway 7d");
    CHECK(week.body.find("24h") != std::string::npos);
    CHECK(week.body.find("ephemeral") != std::string::npos);
    const auto help = e2e.command_named("/incident", "");
    CHECK(help.body.find("Usage") != std::string::npos);
    e2e.command_named("/incident", "web-gatewy");
    REQUIRE(e2e.slack.wait_for_method("response_url", 1, 30s) >= 1);
    e2e.command_named("/incident", "web-gateway GET /nope");
    REQUIRE(e2e.slack.wait_for_method("response_url", 2, 30s) >= 2);
    std::vector<std::string> private_answers;
    for (const auto& call : e2e.slack.calls()) {
        CHECK(call.method != "chat.postMessage");
        if (call.method == "response_url") private_answers.push_back(all_text(call.body));
    }
    REQUIRE(private_answers.size() == 2);
    CHECK(private_answers[0].find("did you mean `web-gateway`") != std::string::npos);
    CHECK(private_answers[1].find("no endpoint `GET /nope`") != std::string::npos);
}

TEST_CASE("a mention asking what is wrong with a service is answered in its thread") {
    SlackE2E e2e;
    const auto body = SlackE2E::mention(
        "Ev1", "<@UBOT> what\xE2\x80\x99s wrong with web-gateway?", "1700000400.000100"
    );
    CHECK(e2e.post("application/json", body).status == 200);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 60s) >= 2);
    const auto calls = e2e.slack.calls();
    CHECK(calls[0].method == "reactions.add");
    std::vector<SlackCall> posts;
    for (const auto& call : calls) {
        if (call.method == "chat.postMessage") posts.push_back(call);
    }
    REQUIRE(posts.size() == 2);
    for (const auto& post : posts) CHECK(post.body["thread_ts"] == "1700000400.000100");
    CHECK(all_text(posts[0].body).find("giftcard-service") != std::string::npos);
}

}  // namespace slack_incident_test
