// The "Analyze trace" message shortcut with fake ports: answers in the message's thread, and the
// ephemeral answers for nothing found, traces New Relic lacks and a channel the bot is not in.
#include <catch2/catch.hpp>

#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace message_shortcut_test {

using namespace nra;
using namespace nra::test;

namespace {

MessageShortcut shortcut(std::string text, std::string thread_ts = {}) {
    MessageShortcut s;
    s.callback_id = "analyze_trace";
    s.user_id = "U1";
    s.team_id = "T1";
    s.channel_id = "C7";
    s.message_ts = "1700000900.000300";
    s.thread_ts = std::move(thread_ts);
    s.message_text = std::move(text);
    s.response_url = "https://hooks.slack.com/actions/T1/2/y";
    return s;
}

}  // namespace

TEST_CASE("the shortcut is registered under its callback id") {
    REQUIRE(find_shortcut("analyze_trace") != nullptr);
    CHECK(find_shortcut("analyze_trace")->handle == &handle_message_shortcut);
    CHECK(find_shortcut("nope") == nullptr);
}

TEST_CASE("shortcut on a top-level message answers in that message's thread") {
    HandlerHarness h;
    const auto handled = handle_message_shortcut(shortcut("checkout was slow: " + kDemoTrace));
    CHECK(handled.ack.body.empty());  // a bare 200
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 3);
    for (const auto& call : h.calls("post_message")) {
        CHECK(call.message.channel == "C7");
        CHECK(call.message.thread_ts == "1700000900.000300");
    }
    const auto pictures = h.calls("upload_file");
    REQUIRE(pictures.size() == 1);
    CHECK(pictures[0].file.thread_ts == "1700000900.000300");
    CHECK(h.chat.calls.back().method == "upload_file");
    CHECK(h.recent.latest("T1").size() == 1);
}

TEST_CASE("shortcut on a reply answers in its thread, up to 3 traces") {
    HandlerHarness h;
    const std::string text =
        "see " + kDemoTrace + ", <https://one.newrelic.com/x?id=" + kOtherTrace +
        "|this> and 7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d and " + "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    h.run(*handle_message_shortcut(shortcut(text, "1700000800.000100")).job);
    CHECK(h.traces.asked.size() == 3);
    CHECK(h.calls("post_message").size() == 6);
    for (const auto& call : h.calls("post_message")) {
        CHECK(call.message.thread_ts == "1700000800.000100");
    }
}

TEST_CASE("shortcut on a message without a trace answers only the user") {
    HandlerHarness h;
    const auto handled = handle_message_shortcut(shortcut("is checkout slow again?"));
    CHECK(handled.ack.body.empty());
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].method == "respond");
    CHECK(h.chat.calls[0].target == "https://hooks.slack.com/actions/T1/2/y");
    CHECK_FALSE(h.chat.calls[0].response.in_channel);
    CHECK(h.chat.calls[0].response.text.find("no trace id") != std::string::npos);
    CHECK(h.traces.asked.empty());
}

TEST_CASE("shortcut for a trace New Relic does not have answers only the user") {
    HandlerHarness h;
    h.run(*handle_message_shortcut(shortcut("id " + kMissingTrace)).job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].method == "respond");
    CHECK_FALSE(h.chat.calls[0].response.in_channel);
    CHECK(h.chat.calls[0].response.text.find("no spans") != std::string::npos);
}

TEST_CASE("shortcut in a channel the bot is not in gives the invite hint, privately") {
    HandlerHarness h;
    h.chat.channel_errors["C7"] = ChatError::not_in_channel;
    h.run(*handle_message_shortcut(shortcut(kDemoTrace + " " + kOtherTrace)).job);
    REQUIRE(h.chat.calls.size() == 2);  // one refused post, then the hint; the second trace waits
    CHECK(h.chat.calls[0].method == "post_message");
    CHECK(h.chat.calls[1].method == "respond");
    CHECK_FALSE(h.chat.calls[1].response.in_channel);
    CHECK(h.chat.calls[1].response.text.find("/invite @nr-analyzer") != std::string::npos);
    CHECK(h.calls("upload_file").empty());
}

}  // namespace message_shortcut_test
