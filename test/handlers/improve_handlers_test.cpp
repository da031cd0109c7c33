// /improve and its Jira button with fake ports: acks, what is posted where, and bad input.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "demo/demo_metrics_source.hpp"
#include "registry.hpp"
#include "support/handler_harness.hpp"

namespace improve_handlers_test {

using namespace nra;
using namespace nra::test;

namespace {

// A tracker that records drafts and answers "created" first, "commented" for a known fingerprint.
class RecordingTracker final : public TicketTracker {
public:
    std::vector<TicketDraft> drafts;
    boost::asio::awaitable<TicketResult> file(TicketDraft draft) override {
        TicketResult r;
        bool known = false;
        for (const auto& d : drafts) known = known || d.fingerprint == draft.fingerprint;
        r.status = known ? TicketStatus::commented : TicketStatus::created;
        r.key = "OPS-1";
        r.url = "https://jira.example/browse/OPS-1";
        drafts.push_back(std::move(draft));
        co_return r;
    }
};

struct Harness : HandlerHarness {
    Harness() : config(demo_improve_config()) {}
    void run(const Job& job, bool wired = true) {
        Ports s = ports();
        if (wired) {
            s.metrics = &metrics;
            s.tickets = &tickets;
            s.improve = &config;
        }
        run_with(job, std::move(s));
    }
    DemoMetricsSource metrics;
    RecordingTracker tickets;
    ImproveConfig config;
};

SlashCommand improve(std::string text) {
    return slash_command("/improve", std::move(text));
}

BlockAction jira_press(const std::string& value) {
    BlockAction a;
    a.action_id = "improve_jira";
    a.value = value;
    a.channel_id = "C1";
    a.message_ts = "1700000000.000200";
    a.thread_ts = "1700000000.000100";
    return a;
}

}  // namespace

TEST_CASE("/improve answers usage and bad input inside the ack, with no job") {
    for (const char* text : {"help", "web-gateway 99d", "web-gateway 0"}) {
        INFO(text);
        const auto h = handle_improve_command(improve(text));
        CHECK_FALSE(h.job);
        CHECK(ack_text(h).find("/improve &lt;service&gt;") != std::string::npos);
    }
    const auto control = handle_improve_command(improve(std::string("bad\x01name")));
    CHECK_FALSE(control.job);
    const auto huge = handle_improve_command(improve(std::string(300, 'x')));
    CHECK_FALSE(huge.job);
    CHECK(ack_text(huge).find("too long") != std::string::npos);
}

TEST_CASE("/improve <service> [window]: the report in the channel, breaching details in its thread"
) {
    Harness h;
    const auto handled = handle_improve_command(improve("web-gateway 14d"));
    REQUIRE(handled.job);
    CHECK(ack_text(handled).find("web-gateway") != std::string::npos);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() >= 2);
    const auto& summary = h.chat.calls[0];
    CHECK(summary.method == "post_message");
    CHECK(summary.message.channel == "C1");
    CHECK(summary.message.thread_ts.empty());
    CHECK(summary.message.text.find("web-gateway") != std::string::npos);
    const auto& first = h.chat.calls[1];
    CHECK(first.message.thread_ts == "1700000000.100001");
    CHECK(first.message.blocks.dump().find("POST /api/checkout") != std::string::npos);
    CHECK(first.message.blocks.dump().find("improve_jira") != std::string::npos);
}

TEST_CASE("/improve for an unknown service says so and suggests names, ephemerally") {
    Harness h;
    const auto handled = handle_improve_command(improve("web-gatway"));
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].method == "respond");
    const auto& text = h.chat.calls[0].response.text;
    CHECK(text.find("no data for `web-gatway`") != std::string::npos);
    CHECK(text.find("did you mean") != std::string::npos);
}

TEST_CASE("/improve without a service lists the services with the most breaches") {
    Harness h;
    const auto handled = handle_improve_command(improve(""));
    REQUIRE(handled.job);
    h.run(*handled.job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].message.channel == "C1");
    CHECK(h.chat.calls[0].message.blocks.dump().find("web-gateway") != std::string::npos);
}

TEST_CASE("the Jira button files a ticket for the endpoint and replies in the thread") {
    Harness h;
    const auto value = nlohmann::json{{"s", "web-gateway"}, {"e", "POST /api/checkout"}}.dump();
    const auto first = handle_improve_jira(jira_press(value));
    REQUIRE(first.job);
    CHECK(first.ack.body.empty());
    h.run(*first.job);
    h.run(*handle_improve_jira(jira_press(value)).job);
    REQUIRE(h.tickets.drafts.size() == 2);
    CHECK(h.tickets.drafts[0].fingerprint == h.tickets.drafts[1].fingerprint);
    CHECK(h.tickets.drafts[0].summary.find("POST /api/checkout") != std::string::npos);
    REQUIRE(h.chat.calls.size() == 2);
    CHECK(h.chat.calls[0].message.thread_ts == "1700000000.000100");
    CHECK(h.chat.calls[0].message.text.find("Created") != std::string::npos);
    CHECK(h.chat.calls[1].message.text.find("already open") != std::string::npos);
}

TEST_CASE("the Jira button: forged values do nothing, no Jira or no /improve is said plainly") {
    Harness h;
    for (const char* value : {"", "not json", R"({"s":1,"e":"x"})", R"({"s":"a"})"}) {
        INFO(value);
        CHECK_FALSE(handle_improve_jira(jira_press(value)).job);
    }
    const auto value = nlohmann::json{{"s", "web-gateway"}, {"e", "GET /nope"}}.dump();
    h.run(*handle_improve_jira(jira_press(value)).job);
    REQUIRE(h.chat.calls.size() == 1);
    CHECK(h.chat.calls[0].message.text.find("no longer among") != std::string::npos);
    CHECK(h.tickets.drafts.empty());
    h.run(*handle_improve_jira(jira_press(value)).job, false);
    CHECK(h.chat.calls.back().message.text.find("not set up") != std::string::npos);
}

}  // namespace improve_handlers_test
