// The Slack Web API adapter against the fake Slack: request shapes and bearer, error mapping,
// the plain-text retry when blocks are refused, 429s, per-channel pacing, response_url, and
// the token never reaching the logs.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "log/log.hpp"
#include "slack/web_client.hpp"
#include "support/fake_slack.hpp"
#include "support/run_async.hpp"
#include "support/test_pki.hpp"

using namespace nra;
using namespace nra::test;
using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kBlocks = R"([{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}])";

struct Harness {
    explicit Harness(FakeServerOptions server = {}) : fake(std::move(server)) {
        options.api_url = fake.api_url();
        options.bot_token = FakeSlack::kBotToken;
        options.per_channel_interval = milliseconds{0};
        options.retry_base_delay = milliseconds{1};
        options.budget = milliseconds{10'000};
        client_options.ca_pem = test_pki().ca_pem;
        log::set_sink([this](log::Level, std::string_view line) {
            const std::lock_guard lock(log_mutex);
            log_lines.emplace_back(line);
        });
        log::set_level(log::Level::info);
    }
    ~Harness() {
        log::set_sink(nullptr);
        log::set_level(log::Level::warn);
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    // Built on first use so a test can change the options before.
    slack::WebClient& client() {
        if (!web) {
            http = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            web = std::make_unique<slack::WebClient>(*http, options);
        }
        return *web;
    }

    ChatResult run(boost::asio::awaitable<ChatResult> work) {
        return run_blocking(ioc, std::move(work));
    }

    std::string logs() const {
        const std::lock_guard lock(log_mutex);
        std::string all;
        for (const auto& l : log_lines) all += l + "\n";
        return all;
    }

    FakeSlack fake;
    boost::asio::io_context ioc;
    slack::WebClientOptions options;
    http::ClientOptions client_options;
    std::unique_ptr<http::Client> http;
    std::unique_ptr<slack::WebClient> web;
    mutable std::mutex log_mutex;
    std::vector<std::string> log_lines;
};

OutgoingMessage message(std::string channel, std::string text, std::string blocks = {}) {
    OutgoingMessage m;
    m.channel = std::move(channel);
    m.text = std::move(text);
    m.blocks = std::move(blocks);
    return m;
}

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

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

namespace {

struct Timed {
    ChatResult result;
    Clock::time_point done{};
};

boost::asio::awaitable<void> post_timed(slack::WebClient* client, OutgoingMessage m, Timed* out) {
    out->result = co_await client->post_message(std::move(m));
    out->done = Clock::now();
}

// Posts every message concurrently and runs them to completion; returns each outcome and time.
std::vector<Timed> post_concurrently(Harness& h, const std::vector<OutgoingMessage>& messages) {
    auto& client = h.client();
    std::vector<Timed> timed(messages.size());
    std::exception_ptr error;
    const auto store = [&error](const std::exception_ptr& e) {
        if (e) error = e;
    };
    for (std::size_t i = 0; i < messages.size(); ++i) {
        boost::asio::co_spawn(h.ioc, post_timed(&client, messages[i], &timed[i]), store);
    }
    h.ioc.run();
    REQUIRE_FALSE(error);
    return timed;
}

}  // namespace

TEST_CASE("posts are paced per channel, in order, without holding up other channels") {
    Harness h;
    h.options.per_channel_interval = milliseconds{50};
    h.options.per_channel_burst = 1;
    const auto start = Clock::now();
    const auto timed = post_concurrently(
        h, {message("CA", "a1"), message("CA", "a2"), message("CA", "a3"), message("CB", "b1")}
    );
    for (const auto& t : timed) CHECK(t.result.ok());

    std::vector<std::string> order;
    for (const auto& call : h.fake.calls()) order.push_back(call.body["text"]);
    REQUIRE(order.size() == 4);
    const auto at = [&order](const char* text) {
        return std::find(order.begin(), order.end(), text) - order.begin();
    };
    CHECK(at("a1") < at("a2"));
    CHECK(at("a2") < at("a3"));
    CHECK(at("b1") < at("a2"));  // a2 waits 50 ms after a1; b1 does not wait for channel A
    // a3 went out at least two intervals after the start (a1 took the only token).
    CHECK(timed[2].done - start >= milliseconds{100});
    CHECK(timed[3].done < timed[1].done);
}

TEST_CASE("a burst goes out at once, then one message per interval") {
    Harness h;
    h.options.per_channel_interval = milliseconds{300};
    h.options.per_channel_burst = 3;
    const auto start = Clock::now();
    const auto timed = post_concurrently(
        h, {message("CA", "m0"), message("CA", "m1"), message("CA", "m2"), message("CA", "m3")}
    );
    CHECK(timed[2].done - start < milliseconds{250});   // summary + detail + one more: no wait
    CHECK(timed[3].done - start >= milliseconds{300});  // the fourth waits for a token
}

TEST_CASE("respond posts to the response_url without the bot token") {
    Harness h;
    ResponseUrlMessage m;
    m.text = "answer";
    m.blocks = kBlocks;
    m.thread_ts = "1700000000.000001";
    SECTION("in the channel") {
        m.in_channel = true;
    }
    SECTION("ephemeral, replacing the original") {
        m.replace_original = true;
    }
    const auto r = h.run(h.client().respond(h.fake.response_url("T1/123/abc"), m));
    CHECK(r.ok());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].method == "response_url");
    CHECK(calls[0].authorization.empty());
    CHECK(
        calls[0].body ==
        json{
            {"text", "answer"},
            {"blocks", json::parse(kBlocks)},
            {"response_type", m.in_channel ? "in_channel" : "ephemeral"},
            {"replace_original", m.replace_original},
            {"thread_ts", "1700000000.000001"}}
    );
}

TEST_CASE("a response_url error is reported with its code") {
    Harness h;
    h.fake.fail_next("response_url", "expired_url");
    ResponseUrlMessage m;
    m.text = "late";
    const auto r = h.run(h.client().respond(h.fake.response_url("x"), m));
    CHECK(r.error == ChatError::other);
    CHECK(r.code == "expired_url");
}

TEST_CASE("respond refuses URLs that are not Slack's, without a request") {
    Harness h;
    const auto port = std::to_string(h.fake.server().port());
    const std::string url = GENERATE_COPY(
        std::string("https://evil.example.com/response/1"),
        std::string("http://hooks.slack.com/commands/1/2"),
        std::string("https://hooks.slack.com.evil.example/commands/1"),
        std::string("https://hooks.slack.com@evil.example/commands/1"),
        "http://127.0.0.1:" + port + "@evil.example/response/1",
        std::string("http://127.0.0.1:1/response/1"),
        std::string("ftp://hooks.slack.com/commands/1"),
        std::string("not a url"),
        std::string("")
    );
    ResponseUrlMessage m;
    m.text = "x";
    const auto r = h.run(h.client().respond(url, m));
    CHECK(r.error == ChatError::other);
    CHECK(r.code == "bad_response_url");
    CHECK(h.fake.server().requests().empty());
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
