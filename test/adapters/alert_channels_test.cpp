// Alert channels through the events endpoint and the dispatcher: message events (from bots and
// integrations too) read only in the configured channels, trace ids found in text, attachments
// and blocks, answers only in the alert's thread, repeats and storms held back.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "answer_alert.hpp"
#include "demo/demo_data.hpp"
#include "state/memory_state_store.hpp"
#include "support/fake_ports.hpp"
#include "support/signed_request.hpp"
#include "support/slack_rig.hpp"

namespace alert_channels_test {

using namespace nra;
using namespace nra::test;
using json = nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1'700'000'600;
const char* const kSecret = "alert-test-secret";
const std::string kAlerts = "CALERTS001";
const std::string kOrders = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const std::string kCheckout = "4bf92f3577b34da6a3ce929d0e0e4736";

struct Harness {
    Harness() {
        for (const auto& d : demo_traces()) {
            traces.add(std::string(d.trace_id), std::string(d.json));
        }
        slack::EndpointConfig config;
        config.signing_secret = kSecret;
        config.app_id = "A1";
        config.team_ids = {"T1"};
        DispatchConfig dispatch;
        dispatch.max_jobs_running = 4;
        dispatch.max_jobs_queued = 100;
        dispatch.alert_channels = {kAlerts};
        ports.store = &store;
        ports.epoch_seconds = [] { return kNow; };
        rig = std::make_unique<SlackRig>(ioc.get_executor(), config, dispatch, ports, [] {
            return kNow;
        });
    }
    // An Events API envelope around `event`, delivered and run to completion.
    void deliver(json event, const std::string& event_id) {
        const json envelope{
            {"type", "event_callback"},
            {"team_id", "T1"},
            {"api_app_id", "A1"},
            {"event_id", event_id},
            {"authorizations", json::array({{{"user_id", "UBOT"}, {"is_bot", true}}})},
            {"event", std::move(event)},
        };
        const auto reply =
            rig->handle(signed_slack_request(kSecret, kNow, "application/json", envelope.dump()));
        CHECK(reply.status == 200);
        ioc.restart();
        ioc.run();
    }
    std::vector<ChatCall> calls(const std::string& method) const {
        std::vector<ChatCall> out;
        for (const auto& c : chat.calls) {
            if (c.method == method) out.push_back(c);
        }
        return out;
    }
    std::size_t posts_containing(const std::string& needle) const {
        std::size_t n = 0;
        for (const auto& c : calls("post_message")) {
            if (c.message.text.find(needle) != std::string::npos) ++n;
        }
        return n;
    }

    boost::asio::io_context ioc;
    FakeTraceSource traces;
    FakeChatClient chat;
    state::MemoryStateStore store;
    Ports ports{traces, &chat};
    std::unique_ptr<SlackRig> rig;
};

// A New Relic alert as its Slack integration posts it: a bot message whose trace id sits in an
// attachment field, not in `text`.
json nr_alert(const std::string& channel, const std::string& ts, const std::string& trace) {
    return json{
        {"type", "message"},
        {"subtype", "bot_message"},
        {"bot_id", "BNEWRELIC"},
        {"app_id", "ANEWRELIC"},
        {"channel", channel},
        {"ts", ts},
        {"text", ""},
        {"attachments",
         json::array(
             {{{"fallback", "Critical: Error logs in orders-service"},
               {"title", "Error logs in orders-service"},
               {"title_link", "https://one.newrelic.com/alerts/incident/123"},
               {"fields", json::array({{{"title", "trace.id"}, {"value", trace}}})}}}
         )},
    };
}

}  // namespace

TEST_CASE("an alert from an integration is answered in its thread, never at top level") {
    Harness h;
    h.deliver(nr_alert(kAlerts, "1700000000.000100", kOrders), "Ev1");
    const auto reactions = h.calls("add_reaction");
    REQUIRE(reactions.size() == 1);
    CHECK(reactions[0].message.channel == kAlerts);
    CHECK(reactions[0].message.thread_ts == "1700000000.000100");
    CHECK(reactions[0].message.text == "eyes");
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() >= 2);  // the summary, the detail
    for (const auto& post : posts) {
        CHECK(post.message.channel == kAlerts);
        CHECK(post.message.thread_ts == "1700000000.000100");
    }
    CHECK(posts[0].message.text.find("POST /api/orders") != std::string::npos);
}

TEST_CASE("plain messages outside alert channels, and our own anywhere, are never read") {
    Harness h;
    h.deliver(nr_alert("CGENERAL01", "1700000000.000100", kOrders), "Ev1");
    json human{
        {"type", "message"},
        {"channel", "CGENERAL01"},
        {"user", "U1"},
        {"ts", "1700000000.000200"},
        {"text", "look at " + kOrders}};
    h.deliver(human, "Ev2");
    auto ours = nr_alert(kAlerts, "1700000000.000300", kOrders);
    ours["app_id"] = "A1";  // posted by this app
    h.deliver(ours, "Ev3");
    json by_bot_user{
        {"type", "message"},
        {"channel", kAlerts},
        {"user", "UBOT"},
        {"ts", "1700000000.000400"},
        {"text", kOrders}};
    h.deliver(by_bot_user, "Ev4");
    auto edited = nr_alert(kAlerts, "1700000000.000500", kOrders);
    edited["subtype"] = "message_changed";
    h.deliver(edited, "Ev5");
    auto reply = nr_alert(kAlerts, "1700000000.000600", kOrders);
    reply["thread_ts"] = "1700000000.000100";  // a reply inside a thread is no alert
    h.deliver(reply, "Ev6");
    CHECK(h.chat.calls.empty());
}

TEST_CASE("a repeat within 30 minutes gets one pointer to the first answer, then silence") {
    Harness h;
    h.deliver(nr_alert(kAlerts, "1700000000.000100", kOrders), "Ev1");
    const auto first = h.calls("post_message").size();
    h.deliver(nr_alert(kAlerts, "1700000300.000100", kOrders), "Ev2");
    h.deliver(nr_alert(kAlerts, "1700000400.000100", kOrders), "Ev3");
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() == first + 1);
    const auto& pointer = posts.back().message;
    CHECK(pointer.thread_ts == "1700000300.000100");
    CHECK(pointer.text.find("was analysed here 10 min ago") != std::string::npos);
    CHECK(
        pointer.text.find("https://slack.com/archives/CALERTS001/p1700000000000100") !=
        std::string::npos
    );
}

TEST_CASE("an alert with 50 trace ids in its blocks analyses the first 3") {
    Harness h;
    json elements = json::array();
    for (int i = 0; i < 50; ++i) {
        elements.push_back({{"type", "text"}, {"text", fmt::format("id {:032x} ", 0xabc000 + i)}});
    }
    elements[0] = {{"type", "text"}, {"text", kOrders + " "}};
    elements[1] = {{"type", "text"}, {"text", kCheckout + " "}};
    json alert{
        {"type", "message"},
        {"bot_id", "BWEBHOOK"},
        {"channel", kAlerts},
        {"ts", "1700000000.000100"},
        {"text", "50 traces failed"},
        {"blocks",
         json::array(
             {{{"type", "rich_text"},
               {"elements",
                json::array({{{"type", "rich_text_section"}, {"elements", elements}}})}}}
         )}};
    h.deliver(alert, "Ev1");
    // The third id is not in the dataset: said in the thread; the other 47 are not looked at.
    CHECK(h.posts_containing("Could not analyse") == 1);
    CHECK(h.calls("add_reaction").size() == 1);
    CHECK(h.posts_containing("Detail for") == 2);
}

TEST_CASE("an alert storm is paced per channel and says so once") {
    Harness h;
    for (int i = 0; i < 14; ++i) {
        h.deliver(
            nr_alert(
                kAlerts, fmt::format("1700000{:03}.000100", i), fmt::format("{:032x}", 0xbeef00 + i)
            ),
            fmt::format("Ev{}", i)
        );
    }
    CHECK(
        h.posts_containing("Could not analyse") == static_cast<std::size_t>(kAlertTracesPerWindow)
    );
    CHECK(h.posts_containing("Alert storm") == 1);
}

TEST_CASE("only New Relic links count, and a mention of the bot is left to app_mention") {
    Harness h;
    json sentry{
        {"type", "message"},
        {"bot_id", "BSENTRY"},
        {"channel", kAlerts},
        {"ts", "1700000000.000100"},
        {"text", "<https://sentry.example/issues/" + kOrders + "/|New issue>"}};
    h.deliver(sentry, "Ev1");
    CHECK(h.chat.calls.empty());  // another tool's link with a hex id is no trace
    json mention{
        {"type", "message"},
        {"user", "U1"},
        {"channel", kAlerts},
        {"ts", "1700000000.000200"},
        {"text", "<@UBOT> look at " + kOrders}};
    h.deliver(mention, "Ev2");
    CHECK(h.chat.calls.empty());  // the app_mention event answers it, once
    json linked{
        {"type", "message"},
        {"bot_id", "BNR"},
        {"channel", kAlerts},
        {"ts", "1700000000.000300"},
        {"text", "<https://one.newrelic.com/distributed-tracing?traceId=" + kOrders + "|trace>"}};
    h.deliver(linked, "Ev3");
    CHECK(h.calls("add_reaction").size() == 1);
    CHECK(h.posts_containing("Detail for") == 1);
}

TEST_CASE("a trace whose analysis failed is tried again by the next alert") {
    Harness h;
    const std::string missing = "0123456789abcdef0123456789abcdef";
    h.deliver(nr_alert(kAlerts, "1700000000.000100", missing), "Ev1");
    h.deliver(nr_alert(kAlerts, "1700000100.000100", missing), "Ev2");
    CHECK(h.posts_containing("Could not analyse") == 2);
    CHECK(h.posts_containing("was analysed here") == 0);
}

}  // namespace alert_channels_test
