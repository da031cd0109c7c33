// The Slack Web API adapter against the fake Slack: request shapes and bearer, error mapping,
// the plain-text retry when blocks are refused, 429s, and the token never reaching the logs.
#include <catch2/catch.hpp>
#include <string>

#include "slack_web_client_harness.hpp"

namespace slack_web_client_test {

using namespace nra;
using namespace nra::test;
using namespace nra::test::web_client;
using nlohmann::json;

TEST_CASE("post, update and ephemeral send Slack's shapes with the bearer token over TLS") {
    Harness h(FakeServerOptions{true});
    auto m = message("C1", "summary", kBlocks);
    m.thread_ts = "1699999999.000001";
    const auto posted = h.run(h.client().post_message(m));
    REQUIRE(posted.ok());
    CHECK(posted.channel == "C1");
    CHECK(posted.ts == "1700000000.000100");
    const auto updated =
        h.run(h.client().update_message(posted.ts, message("C1", "done", kBlocks)));
    REQUIRE(updated.ok());
    CHECK(updated.ts == posted.ts);
    const auto ephemeral = h.run(h.client().post_ephemeral("U7", message("C1", "only you")));
    REQUIRE(ephemeral.ok());
    CHECK(ephemeral.ts == "1700000000.000200");

    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 3);
    for (const auto& call : calls) {
        CHECK(call.authorization == std::string("Bearer ") + FakeSlack::kBotToken);
    }
    CHECK(calls[0].method == "chat.postMessage");
    CHECK(calls[0].body["channel"] == "C1");
    CHECK(calls[0].body["text"] == "summary");
    CHECK(calls[0].body["blocks"] == json::parse(kBlocks));
    CHECK(calls[0].body["thread_ts"] == "1699999999.000001");
    CHECK(calls[0].body["unfurl_links"] == false);
    CHECK(calls[0].body["unfurl_media"] == false);
    CHECK(calls[1].method == "chat.update");
    CHECK(
        calls[1].body ==
        json{
            {"channel", "C1"},
            {"ts", posted.ts},
            {"text", "done"},
            {"blocks", json::parse(kBlocks)}}
    );
    CHECK(calls[2].method == "chat.postEphemeral");
    CHECK(calls[2].body == json{{"channel", "C1"}, {"user", "U7"}, {"text", "only you"}});
    for (const auto& request : h.fake.server().requests()) {
        CHECK(request.header("Content-Type") == "application/json; charset=utf-8");
    }
}

TEST_CASE("a message without blocks or thread sends neither") {
    Harness h;
    REQUIRE(h.run(h.client().post_message(message("C1", "plain"))).ok());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 1);
    CHECK_FALSE(calls[0].body.contains("blocks"));
    CHECK_FALSE(calls[0].body.contains("thread_ts"));
}

TEST_CASE("Slack's error codes are mapped and not retried") {
    Harness h;
    SECTION("not_in_channel") {
        h.fake.set_member_channels({"C1"});
        const auto r = h.run(h.client().post_message(message("C2", "hello", kBlocks)));
        CHECK(r.error == ChatError::not_in_channel);
        CHECK(r.code == "not_in_channel");
    }
    SECTION("a wrong token is invalid_auth") {
        h.options.bot_token = "xoxb-not-the-right-one";
        const auto r = h.run(h.client().post_message(message("C1", "hello")));
        CHECK(r.error == ChatError::invalid_auth);
        CHECK(r.code == "invalid_auth");
    }
    SECTION("channel_not_found on update") {
        h.fake.fail_next("chat.update", "channel_not_found");
        const auto r = h.run(h.client().update_message("1.2", message("C9", "x")));
        CHECK(r.error == ChatError::channel_not_found);
    }
    SECTION("msg_too_long for a short text-only message is final") {
        h.fake.fail_next("chat.postMessage", "msg_too_long");
        const auto r = h.run(h.client().post_message(message("C1", "short")));
        CHECK(r.error == ChatError::too_long);
    }
    SECTION("an unknown code is kept") {
        h.fake.fail_next("chat.postEphemeral", "user_not_in_channel");
        const auto r = h.run(h.client().post_ephemeral("U1", message("C1", "x")));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == "user_not_in_channel");
    }
    CHECK(h.fake.calls().size() == 1);
}

TEST_CASE("refused blocks are retried once as plain text") {
    Harness h;
    std::string method = "chat.postMessage";
    ChatResult r;
    SECTION("invalid_blocks") {
        h.fake.fail_next(method, "invalid_blocks");
        r = h.run(h.client().post_message(message("C1", "fallback", kBlocks)));
    }
    SECTION("msg_blocks_too_long from the blocks limit") {
        h.fake.set_blocks_limit(20);
        r = h.run(h.client().post_message(message("C1", "fallback", kBlocks)));
    }
    SECTION("on chat.update, clearing the old blocks") {
        method = "chat.update";
        h.fake.fail_next(method, "invalid_blocks_format");
        r = h.run(h.client().update_message("1.5", message("C1", "fallback", kBlocks)));
    }
    SECTION("on chat.postEphemeral") {
        method = "chat.postEphemeral";
        h.fake.fail_next(method, "msg_blocks_too_long");
        r = h.run(h.client().post_ephemeral("U1", message("C1", "fallback", kBlocks)));
    }
    CHECK(r.ok());
    CHECK_FALSE(r.ts.empty());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].method == method);
    CHECK(calls[1].method == method);
    CHECK(calls[0].body["blocks"] == json::parse(kBlocks));
    CHECK(calls[0].ts.empty());
    const bool cleared = calls[1].body.contains("blocks") && calls[1].body["blocks"].empty();
    CHECK((method == "chat.update" ? cleared : !calls[1].body.contains("blocks")));
    CHECK(calls[1].body["text"] == "fallback");
}

TEST_CASE("a text too long is cut on a character boundary for the plain-text retry") {
    Harness h;
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "é€";  // 2 and 3 bytes: 4,000 characters
    h.fake.fail_next("chat.postMessage", "msg_too_long");
    const auto r = h.run(h.client().post_message(message("C1", text)));
    CHECK(r.ok());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].body["text"] == text);
    const std::string cut = calls[1].body["text"];
    CHECK(code_points(cut) <= 3900);
    CHECK(code_points(cut) >= 3800);
    CHECK(cut.size() > std::string("… (truncated)").size());
    CHECK(cut.substr(cut.size() - std::string("… (truncated)").size()) == "… (truncated)");
    CHECK(text.rfind(cut.substr(0, cut.size() - std::string("… (truncated)").size()), 0) == 0);
}

TEST_CASE("HTTP 429 with Retry-After 0 is retried, and persistent trouble is reported") {
    Harness h;
    SECTION("one 429, then success") {
        h.fake.rate_limit_next("chat.postMessage", 0);
        const auto r = h.run(h.client().post_message(message("C1", "hello")));
        CHECK(r.ok());
        const auto calls = h.fake.calls();
        REQUIRE(calls.size() == 2);
        CHECK(calls[0].ts.empty());
        CHECK(calls[1].ts == r.ts);
    }
    SECTION("a Retry-After beyond the budget is rate_limited") {
        h.options.budget = milliseconds{500};
        h.fake.rate_limit_next("chat.postMessage", 30);
        const auto r = h.run(h.client().post_message(message("C1", "hello")));
        CHECK(r.error == ChatError::rate_limited);
        CHECK(h.fake.calls().size() == 1);
    }
    SECTION("nobody listening is unavailable") {
        h.options.api_url = "http://127.0.0.1:1/api";
        h.options.budget = milliseconds{300};
        const auto r = h.run(h.client().post_message(message("C1", "hello")));
        CHECK(r.error == ChatError::unavailable);
    }
}

TEST_CASE("a message whose answer was lost is not posted again, an update is retried") {
    Harness h;
    SECTION("chat.postMessage") {
        h.fake.lose_answer_next("chat.postMessage");
        const auto r = h.run(h.client().post_message(message("C1", "hello")));
        CHECK(r.error == ChatError::unavailable);
        CHECK(h.fake.calls().size() == 1);  // posted once, although the answer never came
    }
    SECTION("chat.postEphemeral") {
        h.fake.lose_answer_next("chat.postEphemeral");
        const auto r = h.run(h.client().post_ephemeral("U1", message("C1", "hello")));
        CHECK_FALSE(r.ok());
        CHECK(h.fake.calls().size() == 1);
    }
    SECTION("response_url") {
        h.fake.lose_answer_next("response_url");
        ResponseUrlMessage m;
        m.text = "hello";
        const auto r = h.run(h.client().respond(h.fake.response_url("r1"), m));
        CHECK_FALSE(r.ok());
        CHECK(h.fake.calls().size() == 1);
    }
    SECTION("chat.update: the same edit twice changes nothing, so it is sent again") {
        h.fake.lose_answer_next("chat.update");
        const auto r = h.run(h.client().update_message("1700000000.000100", message("C1", "hi")));
        CHECK(r.ok());
        CHECK(h.fake.calls().size() == 2);
    }
}

TEST_CASE("logs name the method, channel and code, never the token or the message") {
    Harness h;
    h.fake.set_member_channels({"C1"});
    REQUIRE(h.run(h.client().post_message(message("C1", "secret words", kBlocks))).ok());
    const auto r = h.run(h.client().post_message(message("C2", "secret words")));
    REQUIRE(r.error == ChatError::not_in_channel);
    h.fake.fail_next("chat.update", "invalid_blocks");
    REQUIRE(h.run(h.client().update_message("1.1", message("C1", "secret words", kBlocks))).ok());
    ResponseUrlMessage m;
    m.text = "secret words";
    REQUIRE(h.run(h.client().respond(h.fake.response_url("hook-secret"), m)).ok());

    const auto logs = h.logs();
    CHECK(logs.find("chat.postMessage") != std::string::npos);
    CHECK(logs.find("C2") != std::string::npos);
    CHECK(logs.find("not_in_channel") != std::string::npos);
    CHECK(logs.find("invalid_blocks") != std::string::npos);
    CHECK(logs.find(FakeSlack::kBotToken) == std::string::npos);
    CHECK(logs.find("xoxb-") == std::string::npos);
    CHECK(logs.find("secret words") == std::string::npos);
    CHECK(logs.find("hook-secret") == std::string::npos);
}

}  // namespace slack_web_client_test
