// Per-user rate limits at the events endpoint: past `user_limit_per_minute` jobs in a
// minute a user's requests do not run, they are told once, privately, other users are unaffected,
// and replicas sharing a StateStore count together.
#include "app/user_limit.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "demo/demo_data.hpp"
#include "state/memory_state_store.hpp"
#include "support/fake_ports.hpp"
#include "support/signed_request.hpp"
#include "support/slack_rig.hpp"

namespace user_limit_test {

using namespace nra;
using namespace nra::test;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const char* const kSecret = "limit-test-secret";
const std::string kDemo = "4bf92f3577b34da6a3ce929d0e0e4736";

struct Replica {
    Replica(FakeTraceSource& traces, FakeChatClient& chat, StateStore* state, int limit)
        : ports{traces, &chat} {
        ports.state = state;
        slack::EndpointConfig config;
        config.signing_secret = kSecret;
        DispatchConfig dispatch;
        dispatch.max_jobs_queued = 100;
        dispatch.user_limit_per_minute = limit;
        endpoint = std::make_unique<SlackRig>(ioc.get_executor(), config, dispatch, ports, [] {
            return kNow;
        });
    }
    http::ServerResponse post(const std::string& type, const std::string& body) {
        return endpoint->handle(signed_slack_request(kSecret, kNow, type, body));
    }
    // The ack's text ("" when it has none).
    std::string trace(const std::string& user) {
        const auto ack = post(
            "application/x-www-form-urlencoded",
            "command=%2Ftrace&text=" + kDemo + "&team_id=T1&channel_id=C1&user_id=" + user +
                "&response_url=https%3A%2F%2Fhooks.slack.com%2F" + user
        );
        CHECK(ack.status == 200);
        const auto body = nlohmann::json::parse(ack.body, nullptr, false);
        return body.is_object() ? body.value("text", "") : "";
    }
    void mention(const std::string& user, const std::string& event_id) {
        const auto body = nlohmann::json{
            {"type", "event_callback"},
            {"team_id", "T1"},
            {"event_id", event_id},
            {"event",
             {{"type", "app_mention"},
              {"user", user},
              {"text", "<@U0> " + kDemo},
              {"channel", "C2"},
              {"ts", "1.1"}}}};
        CHECK(post("application/json", body.dump()).status == 200);
    }
    boost::asio::io_context ioc;
    Ports ports;
    std::unique_ptr<SlackRig> endpoint;
};

std::size_t calls_of(
    const FakeChatClient& chat, const std::string& method, const std::string& needle
) {
    std::size_t n = 0;
    for (const auto& call : chat.calls) {
        const auto& text = call.method == "respond" ? call.response.text : call.message.text;
        n += call.method == method && text.find(needle) != std::string::npos ? 1 : 0;
    }
    return n;
}

void add_demo(FakeTraceSource& traces) {
    for (const auto& d : demo_traces()) traces.add(std::string(d.trace_id), std::string(d.json));
}

}  // namespace

TEST_CASE("past the per-minute limit a command is refused in its ack, once, not acked first") {
    FakeTraceSource traces;
    add_demo(traces);
    FakeChatClient chat;
    Replica r(traces, chat, nullptr, 2);
    std::vector<std::string> acks;
    for (int i = 0; i < 5; ++i) acks.push_back(r.trace("U1"));
    CHECK(r.trace("U2").find("limit") == std::string::npos);  // another person is not limited
    r.ioc.run();
    CHECK(traces.asked.size() == 3);  // U1 twice, U2 once
    for (int i = 0; i < 5; ++i) {
        INFO("ack " << i << ": " << acks[i]);
        CHECK((acks[i].find("limit per person") != std::string::npos) == (i >= 2));
        CHECK((acks[i].find("Analysing") != std::string::npos) == (i < 2));
    }
    CHECK(acks[2].find("2 things in the last minute") != std::string::npos);
    CHECK(calls_of(chat, "respond", "limit per person") == 0);  // said in the ack, only there
}

TEST_CASE("the limit's sentence is correct English for one") {
    CHECK(limit_text(1).find("for 1 thing in the last minute") != std::string::npos);
    CHECK(limit_text(20).find("for 20 things in the last minute") != std::string::npos);
}

TEST_CASE("mentions count too, and the notice is private in their thread") {
    FakeTraceSource traces;
    add_demo(traces);
    FakeChatClient chat;
    Replica r(traces, chat, nullptr, 1);
    r.mention("U7", "Ev1");
    r.mention("U7", "Ev2");
    r.ioc.run();
    CHECK(traces.asked.size() == 1);
    REQUIRE(calls_of(chat, "post_ephemeral", "limit per person") == 1);
    for (const auto& call : chat.calls) {
        if (call.method != "post_ephemeral") continue;
        CHECK(call.target == "U7");
        CHECK(call.message.channel == "C2");
        CHECK(call.message.thread_ts == "1.1");
    }
}

TEST_CASE("replicas sharing a state store count a user's requests together") {
    FakeTraceSource traces;
    add_demo(traces);
    FakeChatClient chat;
    state::MemoryStateStore shared;
    Replica a(traces, chat, &shared, 3);
    Replica b(traces, chat, &shared, 3);
    a.trace("U1");
    b.trace("U1");
    a.trace("U1");
    b.trace("U1");  // the fourth, on either replica, is over the limit
    a.ioc.run();
    b.ioc.run();
    CHECK(traces.asked.size() == 3);
    CHECK(calls_of(chat, "respond", "limit per person") == 1);
}

TEST_CASE("a limit of 0 turns the limit off") {
    FakeTraceSource traces;
    add_demo(traces);
    FakeChatClient chat;
    Replica r(traces, chat, nullptr, 0);
    for (int i = 0; i < 21; ++i) r.trace("U1");  // past the default of 20
    r.ioc.run();
    CHECK(traces.asked.size() == 21);
    CHECK(calls_of(chat, "respond", "limit per person") == 0);
}

}  // namespace user_limit_test
