// The summary's buttons with fake ports: "Full waterfall" (messages, file, file refused),
// "Re-analyze" (summary updated in place, new detail in its thread), and forged or stale values.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace trace_actions_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

const std::string kLong = "1234567890abcdef1234567890abcdef";  // 2,000 nested spans
const std::string kLate = "fedcba0987654321fedcba0987654321";  // incomplete, then complete

BlockAction press(const char* action_id, std::string value, std::string thread_ts = {}) {
    BlockAction a;
    a.action_id = action_id;
    a.value = std::move(value);
    a.user_id = "U1";
    a.team_id = "T1";
    a.channel_id = "C1";
    a.message_ts = "1700000000.000500";
    a.thread_ts = std::move(thread_ts);
    a.response_url = "https://hooks.slack.com/actions/T1/3/z";
    return a;
}

// The action ids of the buttons in a posted message's blocks.
std::vector<std::string> buttons(const OutgoingMessage& message) {
    std::vector<std::string> ids;
    for (const auto& block : json(message.blocks)) {
        if (block.at("type") != "actions") continue;
        for (const auto& element : block.at("elements")) ids.push_back(element.at("action_id"));
    }
    return ids;
}

std::string all_posted_text(const HandlerHarness& h) {
    std::string text;
    for (const auto& call : h.calls("post_message"))
        text += call.message.blocks.dump() + call.message.text;
    return text;
}

}  // namespace

TEST_CASE("the summary buttons are registered") {
    REQUIRE(find_action("trace_waterfall") != nullptr);
    REQUIRE(find_action("trace_reanalyze") != nullptr);
    CHECK(find_action("trace_waterfall")->handle == &handle_trace_waterfall);
    CHECK(find_action("trace_reanalyze")->handle == &handle_trace_reanalyze);
}

TEST_CASE("Full waterfall under a channel summary posts everything into its thread") {
    HandlerHarness h;
    const auto handled = handle_trace_waterfall(press("trace_waterfall", kDemoTrace));
    CHECK(handled.ack.body.empty());
    REQUIRE(handled.job);
    h.run(*handled.job);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 1);
    CHECK(h.chat.calls.size() == 1);
    CHECK(posts[0].message.channel == "C1");
    CHECK(posts[0].message.thread_ts == "1700000000.000500");  // the summary's own ts
    const std::string text = all_posted_text(h);
    CHECK(text.find("Full waterfall") != std::string::npos);
    CHECK(text.find("*Critical path*") != std::string::npos);
    CHECK(text.find("N+1 queries") != std::string::npos);
}

TEST_CASE("Full waterfall under a summary in a thread stays in that thread") {
    HandlerHarness h;
    h.run(*handle_trace_waterfall(press("trace_waterfall", kDemoTrace, "1700000000.000100")).job);
    REQUIRE_FALSE(h.chat.calls.empty());
    for (const auto& call : h.chat.calls) {
        CHECK(call.message.channel == "C1");
        CHECK(call.message.thread_ts == "1700000000.000100");
    }
}

TEST_CASE("Full waterfall too long for 3 messages becomes a text file in the thread") {
    HandlerHarness h;
    h.traces.add(kLong, zipkin_chain(kLong, 2000));
    h.run(*handle_trace_waterfall(press("trace_waterfall", kLong)).job);
    REQUIRE(h.chat.calls.size() == 1);
    const auto& upload = h.chat.calls[0];
    REQUIRE(upload.method == "upload_file");
    CHECK(upload.file.channel == "C1");
    CHECK(upload.file.thread_ts == "1700000000.000500");
    CHECK(upload.file.filename == "trace-" + kLong + ".txt");
    CHECK(upload.file.bytes.find("step 0") != std::string::npos);
    CHECK(upload.file.bytes.find("step 1999") != std::string::npos);
    CHECK(upload.file.bytes.find("more rows") == std::string::npos);
}

TEST_CASE("Full waterfall whose file is refused posts the first part and says so") {
    HandlerHarness h;
    h.traces.add(kLong, zipkin_chain(kLong, 2000));
    h.chat.upload_error = ChatError::other;
    h.run(*handle_trace_waterfall(press("trace_waterfall", kLong)).job);
    REQUIRE(h.chat.calls.size() == 5);  // the refused upload, 3 parts, the note
    CHECK(h.chat.calls[0].method == "upload_file");
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == 4);
    CHECK(posts[0].message.text.find("(1/") != std::string::npos);
    CHECK(posts[3].message.text.find("did not fit") != std::string::npos);
    CHECK(posts[3].message.text.find("nr-analyzer trace " + kLong) != std::string::npos);
    for (const auto& post : posts) CHECK(post.message.thread_ts == "1700000000.000500");
    CHECK(h.logged_mention("could not be uploaded"));
}

TEST_CASE("forged button values are refused without a fetch") {
    const std::vector<std::string> forged{
        "",
        "abc",
        kDemoTrace + "' OR trace.id LIKE '%",
        "4BF92F3577B34DA6A3CE929D0E0E4736",  // not as rendered
        "https://one.newrelic.com/x?id=" + kDemoTrace,
        "00-" + kDemoTrace + "-00f067aa0ba902b7-01",
        kDemoTrace + " " + kOtherTrace,
        "00000000000000000000000000000000",
    };
    for (const auto* action : {"trace_waterfall", "trace_reanalyze"}) {
        for (const auto& value : forged) {
            INFO(action << " " << value);
            HandlerHarness h;
            const auto b = press(action, value);
            const auto handled = std::string(action) == "trace_waterfall"
                                     ? handle_trace_waterfall(b)
                                     : handle_trace_reanalyze(b);
            REQUIRE(handled.job);
            h.run(*handled.job);
            REQUIRE(h.chat.calls.size() == 1);
            CHECK(h.chat.calls[0].method == "respond");
            CHECK(h.chat.calls[0].target == b.response_url);
            CHECK_FALSE(h.chat.calls[0].response.in_channel);
            CHECK(h.chat.calls[0].response.text == "That button no longer points at a trace.");
            CHECK(h.traces.asked.empty());
        }
    }
}

TEST_CASE("a button whose trace is gone answers privately with the fetch message") {
    for (const auto* action : {"trace_waterfall", "trace_reanalyze"}) {
        HandlerHarness h;
        const auto b = press(action, kMissingTrace);
        h.run(*find_action(action)->handle(b).job);
        REQUIRE(h.chat.calls.size() == 1);
        CHECK(h.chat.calls[0].method == "respond");
        CHECK_FALSE(h.chat.calls[0].response.in_channel);
        CHECK(h.chat.calls[0].response.text.find("no spans") != std::string::npos);
        CHECK(h.traces.asked == std::vector<std::string>{kMissingTrace});
    }
}

TEST_CASE("Full waterfall in a channel the bot left gives the invite hint privately") {
    HandlerHarness h;
    h.chat.channel_errors["C1"] = ChatError::not_in_channel;
    h.run(*handle_trace_waterfall(press("trace_waterfall", kDemoTrace)).job);
    REQUIRE(h.chat.calls.size() == 2);
    CHECK(h.chat.calls[1].method == "respond");
    CHECK(h.chat.calls[1].response.text.find("/invite @nr-analyzer") != std::string::npos);
}

TEST_CASE("Re-analyze updates the summary in place and posts the new detail in its thread") {
    HandlerHarness h;
    h.traces.add(kLate, zipkin_chain(kLate, 10, true));
    SlashCommand c;
    c.command = "/trace";
    c.text = kLate;
    c.channel_id = "C1";
    c.response_url = "https://hooks.slack.com/commands/T1/1/x";
    h.run(*handle_trace_command(c).job);
    const auto first = h.calls("post_message").at(0);
    CHECK(buttons(first.message) == std::vector<std::string>{"trace_waterfall", "trace_reanalyze"});

    h.chat.calls.clear();
    h.traces.add(kLate, zipkin_chain(kLate, 12));  // the late spans arrived
    h.run(*handle_trace_reanalyze(press("trace_reanalyze", kLate)).job);
    REQUIRE(h.chat.calls.size() == 2);
    const auto& update = h.chat.calls[0];
    REQUIRE(update.method == "update_message");
    CHECK(update.target == "1700000000.000500");
    CHECK(update.message.channel == "C1");
    CHECK(buttons(update.message) == std::vector<std::string>{"trace_waterfall"});
    const auto& detail = h.chat.calls[1];
    REQUIRE(detail.method == "post_message");
    CHECK(detail.message.channel == "C1");
    CHECK(detail.message.thread_ts == "1700000000.000500");
    CHECK(detail.message.text.rfind("Re-analysed: now 12 spans (complete)", 0) == 0);
    const json blocks = json(detail.message.blocks);
    CHECK(blocks[0].at("text").at("text") == "Re-analysed: now 12 spans (complete)");
    CHECK(blocks.size() <= 50);
    CHECK(h.painter.painted.size() == 1);  // only the first /trace painted
}

TEST_CASE("Re-analyze of a still incomplete trace says so") {
    HandlerHarness h;
    h.traces.add(kLate, zipkin_chain(kLate, 10, true));
    h.run(*handle_trace_reanalyze(press("trace_reanalyze", kLate, "1700000000.000100")).job);
    REQUIRE(h.chat.calls.size() == 2);
    CHECK(h.chat.calls[0].method == "update_message");
    CHECK(buttons(h.chat.calls[0].message).size() == 2);
    CHECK(h.chat.calls[1].message.thread_ts == "1700000000.000100");
    CHECK(
        h.chat.calls[1].message.text.rfind("Re-analysed: now 10 spans (still incomplete)", 0) == 0
    );
}

}  // namespace trace_actions_test
