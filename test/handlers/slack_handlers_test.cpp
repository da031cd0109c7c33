// The Slack entry points with fake ports: what is acked at once, what is posted afterwards, and
// where (channel, thread).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/cpu_pool.hpp"
#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace slack_handlers_test {

using namespace nra;
using namespace nra::test;

namespace {

const std::string kDemo = kDemoTrace;
const std::string kOther = kOtherTrace;
using Harness = HandlerHarness;

SlashCommand command(std::string text) {
    return slash_command("/trace", std::move(text));
}

}  // namespace

TEST_CASE("the registry maps names to handlers") {
    CHECK(find_command("/trace") != nullptr);
    CHECK(find_command("/nope") == nullptr);
    CHECK(find_event("app_mention") != nullptr);
    CHECK(find_event("message") != nullptr);  // read in alert channels only
    CHECK(find_event("reaction_added") == nullptr);
}

TEST_CASE("/trace without a usable argument is answered in the ack, with no job") {
    CHECK(ack_text(handle_trace_command(command(""))).find("Usage") != std::string::npos);
    CHECK(ack_text(handle_trace_command(command("help"))).find("nr-analyzer") != std::string::npos);
    const auto bad = handle_trace_command(command("abc' OR trace.id LIKE '%"));
    CHECK(ack_text(bad).find("not a trace id") != std::string::npos);
    CHECK_FALSE(bad.job);
    CHECK(nlohmann::json::parse(bad.ack.body)["response_type"] == "ephemeral");
}

TEST_CASE("/trace posts the summary in the channel and the detail in its thread") {
    Harness h;
    const auto handled = handle_trace_command(command(kDemo));
    CHECK(ack_text(handled).find(kDemo) != std::string::npos);
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 3);
    const auto& summary = h.chat.calls[0];
    const auto& detail = h.chat.calls[1];
    const auto& picture = h.chat.calls[2];
    CHECK(summary.method == "post_message");
    CHECK(summary.message.channel == "C1");
    CHECK(summary.message.thread_ts.empty());
    CHECK_FALSE(summary.message.text.empty());
    CHECK(summary.message.blocks.is_array());
    CHECK(detail.message.thread_ts == "1700000000.100001");  // the summary's ts
    CHECK(detail.message.channel == "C1");
    // The picture comes last, into the same thread.
    REQUIRE(picture.method == "upload_file");
    CHECK(picture.file.channel == "C1");
    CHECK(picture.file.thread_ts == "1700000000.100001");
    CHECK(picture.file.filename == "waterfall-4bf92f35.png");
    CHECK(picture.file.title.rfind("Waterfall of ", 0) == 0);
    CHECK(picture.file.title.find("/api/checkout") != std::string::npos);
    CHECK(picture.file.bytes == FakePicturePainter::kBytes);
    CHECK(h.painter.painted == std::vector<std::string>{kDemo});
}

TEST_CASE("a picture that could not be shared is logged and said in the thread") {
    Harness h;
    h.chat.upload_error = ChatError::unavailable;
    h.run(*handle_trace_command(command(kDemo)).job);
    REQUIRE(h.chat.calls.size() == 4);
    CHECK(h.chat.calls[0].method == "post_message");
    CHECK(h.chat.calls[1].method == "post_message");
    CHECK(h.chat.calls[2].method == "upload_file");
    const auto& note = h.chat.calls[3];
    CHECK(note.method == "post_message");
    CHECK(note.message.channel == "C1");
    CHECK(note.message.thread_ts == "1700000000.100001");  // under the summary, with the detail
    CHECK(note.message.text.find("could not be shared") != std::string::npos);
    CHECK(note.message.text.find("--png") != std::string::npos);
    CHECK(h.calls("respond").empty());  // the user is not bothered: the text has arrived
    CHECK(h.logged_mention("could not be shared"));
}

TEST_CASE("without a picture painter only the text is posted") {
    Harness h;
    h.with_picture = false;
    h.run(*handle_trace_command(command(kDemo)).job);
    CHECK(h.calls("post_message").size() == 2);
    CHECK(h.calls("upload_file").empty());
}

TEST_CASE("analyses are remembered per workspace for App Home") {
    Harness h;
    auto c = command(kDemo);
    c.team_id = "T1";
    h.run(*handle_trace_command(c).job);
    const auto latest = h.recent.latest("T1");
    REQUIRE(latest.size() == 1);
    CHECK(latest[0].trace_id == kDemo);
    CHECK(latest[0].channel == "C1");
    CHECK(latest[0].request.find("/api/checkout") != std::string::npos);
    CHECK(latest[0].span_count == 62);
    CHECK(latest[0].top_finding.rfind("N+1 queries", 0) == 0);
    CHECK(h.recent.latest("T2").empty());
}

TEST_CASE("analyses in direct messages stay out of the shared Home tab") {
    Harness h;
    auto c = command(kDemo);
    c.team_id = "T1";
    c.channel_id = "D0PRIVATE";
    h.run(*handle_trace_command(c).job);
    CHECK(h.calls("post_message").size() == 2);  // still answered
    CHECK(h.recent.latest("T1").empty());
}

TEST_CASE("/trace where the bot is not a member falls back to response_url with a hint") {
    Harness h;
    h.chat.channel_errors["C1"] = ChatError::not_in_channel;
    const auto handled = handle_trace_command(command(kDemo));
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 3);
    CHECK(h.chat.calls[1].method == "respond");
    CHECK(h.chat.calls[1].response.in_channel);
    CHECK_FALSE(h.chat.calls[1].response.blocks.empty());
    CHECK(h.chat.calls[2].response.text.find("/invite") != std::string::npos);
    CHECK_FALSE(h.chat.calls[2].response.in_channel);
}

TEST_CASE("/trace for a trace New Relic does not have tells the user only") {
    Harness h;
    const auto handled = handle_trace_command(command("0123456789abcdef"));
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].method == "respond");
    CHECK_FALSE(h.chat.calls[0].response.in_channel);
    CHECK(h.chat.calls[0].response.text.find("no spans") != std::string::npos);
}

TEST_CASE("a mention in a thread answers every trace in that thread") {
    Harness h;
    SlackEvent e;
    e.type = "app_mention";
    e.channel = "C9";
    e.ts = "1700000500.000200";
    e.thread_ts = "1700000400.000100";
    e.text = "<@UBOT> what happened in " + kDemo + " and <https://x.example/" + kOther + "|this>?";
    const auto handled = handle_app_mention(e);
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 6);  // per trace: summary, detail, picture
    for (const auto& call : h.calls("post_message")) {
        CHECK(call.message.channel == "C9");
        CHECK(call.message.thread_ts == e.thread_ts);
    }
    const auto pictures = h.calls("upload_file");
    REQUIRE(pictures.size() == 2);
    for (const auto& call : pictures) {
        CHECK(call.file.channel == "C9");
        CHECK(call.file.thread_ts == e.thread_ts);
    }
    CHECK(h.chat.calls[2].method == "upload_file");  // after that trace's detail
    CHECK(pictures[1].file.filename == "waterfall-0af76519.png");
    CHECK(h.traces.asked == std::vector<std::string>{kDemo, kOther});
}

TEST_CASE("a top-level mention starts a thread under itself") {
    Harness h;
    SlackEvent e;
    e.type = "app_mention";
    e.channel = "C9";
    e.ts = "1700000500.000200";
    e.text = "<@UBOT> " + kDemo;
    h.run(*handle_app_mention(e).job);
    REQUIRE_FALSE(h.chat.calls.empty());
    CHECK(h.chat.calls[0].message.thread_ts == e.ts);
}

TEST_CASE("mentions without a trace get a hint or the help, bots are ignored") {
    Harness h;
    SlackEvent e;
    e.type = "app_mention";
    e.channel = "C9";
    e.ts = "1.2";
    e.text = "<@UBOT> is checkout slow?";
    h.run(*handle_app_mention(e).job);
    e.text = "<@UBOT> help";
    h.run(*handle_app_mention(e).job);
    REQUIRE(h.chat.calls.size() == 2);
    CHECK(h.chat.calls[0].message.text.find("no trace id") != std::string::npos);
    CHECK(h.chat.calls[1].message.text.find("/trace") != std::string::npos);
    CHECK(h.traces.asked.empty());

    e.bot_id = "B1";
    e.text = "<@UBOT> " + kDemo;
    CHECK_FALSE(handle_app_mention(e).job);
}

TEST_CASE("analysis can run on a CPU pool and the posts are the same") {
    Harness inline_run;
    inline_run.run(*handle_trace_command(command(kDemo)).job);
    Harness pooled;
    CpuPool pool(2);
    pooled.offload = pool.offload();
    pooled.run(*handle_trace_command(command(kDemo)).job);
    REQUIRE(pooled.chat.calls.size() == 3);
    CHECK(pooled.chat.calls[2].file.bytes == inline_run.chat.calls[2].file.bytes);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(pooled.chat.calls[i].message.blocks == inline_run.chat.calls[i].message.blocks);
        CHECK(pooled.chat.calls[i].message.thread_ts == inline_run.chat.calls[i].message.thread_ts);
    }
}

}  // namespace slack_handlers_test
