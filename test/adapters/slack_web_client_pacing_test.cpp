// The Slack Web API adapter's pacing (per channel, bursts) and response_url posts.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <vector>

#include "slack_web_client_harness.hpp"

namespace slack_web_client_pacing_test {

using namespace nra;
using namespace nra::test;
using namespace nra::test::web_client;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

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
    // A long interval, so a busy machine's slow sends cannot pass for pacing: had the third
    // waited for a token it would end after a whole interval.
    h.options.per_channel_interval = milliseconds{1000};
    h.options.per_channel_burst = 3;
    const auto start = Clock::now();
    const auto timed = post_concurrently(
        h, {message("CA", "m0"), message("CA", "m1"), message("CA", "m2"), message("CA", "m3")}
    );
    CHECK(timed[2].done - start < milliseconds{1000});   // summary + detail + one more: no wait
    CHECK(timed[3].done - start >= milliseconds{1000});  // the fourth waits for a token
}

TEST_CASE("respond posts to the response_url without the bot token") {
    Harness h;
    ResponseUrlMessage m;
    m.text = "answer";
    m.blocks = Blocks::parse(kBlocks);
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

}  // namespace slack_web_client_pacing_test
