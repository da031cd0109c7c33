// New Relic slow to answer: the person who asked hears "still waiting" once, privately, after
// Ports::patience, and then the analysis; a fast answer says nothing extra.
#include <catch2/catch.hpp>

#include "registry.hpp"
#include "slack/patience_timer.hpp"
#include "support/handler_harness.hpp"

namespace still_waiting_test {

using namespace nra;
using namespace nra::test;

namespace {

Ports patient(HandlerHarness& h, std::chrono::milliseconds patience) {
    auto ports = h.ports();
    ports.patience = patience;
    ports.patient = slack::run_patiently;
    return ports;
}

bool says_waiting(const std::string& text) {
    return text.find("Still waiting for New Relic") != std::string::npos;
}

}  // namespace

TEST_CASE("/trace with New Relic hanging: told privately once, then the analysis arrives") {
    HandlerHarness h;
    h.traces.hold();
    h.chat.on_private = [&h](const ChatCall&) { h.traces.release(); };  // New Relic answers then
    const auto handled = handle_trace_command(slash_command("/trace", kDemoTrace));
    h.run_with(*handled.job, patient(h, std::chrono::milliseconds{1}));
    REQUIRE(h.chat.calls.size() >= 3);
    const auto& first = h.chat.calls[0];
    CHECK(first.method == "respond");  // through response_url: only the user sees it
    CHECK_FALSE(first.response.in_channel);
    CHECK(says_waiting(first.response.text));
    CHECK(first.response.text.find(kDemoTrace) != std::string::npos);
    CHECK(h.calls("post_message").size() == 2);  // the summary and the detail still come
    std::size_t told = 0;
    for (const auto& call : h.chat.calls) told += says_waiting(call.response.text) ? 1 : 0;
    CHECK(told == 1);
}

TEST_CASE("a mention with New Relic hanging: an ephemeral line to the asker in the thread") {
    HandlerHarness h;
    h.traces.hold();
    h.chat.on_private = [&h](const ChatCall&) { h.traces.release(); };
    SlackEvent e;
    e.type = "app_mention";
    e.user = "U5";
    e.channel = "C9";
    e.ts = "1700000500.000200";
    e.text = "<@UBOT> " + kDemoTrace;
    const auto handled = handle_app_mention(e);
    REQUIRE(handled.job);
    h.run_with(*handled.job, patient(h, std::chrono::milliseconds{1}));
    const auto notes = h.calls("post_ephemeral");
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].target == "U5");
    CHECK(notes[0].message.channel == "C9");
    CHECK(notes[0].message.thread_ts == e.ts);
    CHECK(says_waiting(notes[0].message.text));
    CHECK(h.calls("post_message").size() == 2);
}

TEST_CASE("a fast answer says nothing about waiting") {
    HandlerHarness h;
    const auto handled = handle_trace_command(slash_command("/trace", kDemoTrace));
    h.run_with(*handled.job, patient(h, std::chrono::milliseconds{60'000}));
    for (const auto& call : h.chat.calls) {
        CHECK_FALSE(says_waiting(call.response.text));
        CHECK_FALSE(says_waiting(call.message.text));
    }
    CHECK(h.calls("post_message").size() == 2);
}

}  // namespace still_waiting_test
