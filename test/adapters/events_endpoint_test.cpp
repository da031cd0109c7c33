// The events endpoint in-process with fake ports: app and team checks, the busy answer when the
// job queue is full, duplicate events, and health.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "app/user_limit.hpp"
#include "demo/demo_data.hpp"
#include "support/fake_ports.hpp"
#include "support/form_encode.hpp"
#include "support/inert_mrkdwn.hpp"
#include "support/log_capture.hpp"
#include "support/signed_request.hpp"
#include "support/slack_rig.hpp"

namespace events_endpoint_test {

using namespace nra;
using namespace nra::test;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const char* const kSecret = "endpoint-test-secret";

struct Harness {
    explicit Harness(std::size_t running = 1, std::size_t queued = 0) {
        for (const auto& d : demo_traces())
            traces.add(std::string(d.trace_id), std::string(d.json));
        slack::EndpointConfig config;
        config.signing_secret = kSecret;
        config.app_id = "A1";
        config.team_ids = {"T1"};
        DispatchConfig dispatch;
        dispatch.max_jobs_running = running;
        dispatch.max_jobs_queued = queued;
        endpoint = std::make_unique<SlackRig>(ioc.get_executor(), config, dispatch, ports, [] {
            return kNow;
        });
    }
    http::ServerResponse post(const std::string& type, const std::string& body) {
        return endpoint->handle(signed_slack_request(kSecret, kNow, type, body));
    }
    http::ServerResponse command(
        const std::string& text, const std::string& team = "T1", const std::string& app = "A1"
    ) {
        return post(
            "application/x-www-form-urlencoded",
            "command=%2Ftrace&text=" + text + "&team_id=" + team + "&api_app_id=" + app +
                "&channel_id=C1&user_id=U1&response_url=https%3A%2F%2Fhooks.slack.com%2Fx"
        );
    }
    boost::asio::io_context ioc;
    FakeTraceSource traces;
    FakeChatClient chat;
    Ports ports{traces, &chat};
    std::unique_ptr<SlackRig> endpoint;
};

const std::string kDemo = "4bf92f3577b34da6a3ce929d0e0e4736";

std::string mention(const std::string& id) {
    return nlohmann::json{
        {"type", "event_callback"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"event_id", id},
        {"event",
         {{"type", "app_mention"}, {"text", "<@U0> " + kDemo}, {"channel", "C2"}, {"ts", "1.1"}}}}
        .dump();
}

}  // namespace

TEST_CASE("requests for another app or team are refused") {
    Harness h;
    CHECK(h.command(kDemo, "T1", "A2").status == 403);
    CHECK(h.command(kDemo, "T9", "A1").status == 403);
    CHECK(h.command(kDemo).status == 200);
}

TEST_CASE("a full job queue answers busy instead of queueing without bound") {
    Harness h(1, 0);
    const auto first = h.command(kDemo);
    const auto second = h.command(kDemo);
    CHECK(first.body.find("Analysing") != std::string::npos);
    CHECK(second.body.find("busy") != std::string::npos);
    CHECK(h.post("application/json", mention("Ev1")).status == 200);  // busy: a notice instead
    h.ioc.run();
    std::size_t posts = 0;
    std::size_t notices = 0;
    for (const auto& c : h.chat.calls) {
        if (c.message.text.find("busy") != std::string::npos) {
            ++notices;
            CHECK(c.message.thread_ts == "1.1");
        } else {
            ++posts;
        }
    }
    CHECK(posts == 2);  // only the first /trace ran: summary + detail
    CHECK(notices == 1);
    CHECK(h.endpoint->stats().busy == 2);
}

TEST_CASE("an unknown command is echoed inert, and the busy and rate-limit notices are too") {
    Harness h(1, 0);
    const auto unknown = h.post(
        "application/x-www-form-urlencoded",
        "command=" + form_encode("/x" + kHostileName) +
            "&text=&team_id=T1&api_app_id=A1&channel_id=C1&user_id=U1"
    );
    CHECK(unknown.status == 200);
    const auto said = nlohmann::json::parse(unknown.body);
    CHECK(said["text"].get<std::string>().rfind("I do not know `/x", 0) == 0);
    check_inert_payload(said);
    h.command(kDemo);
    const auto busy = h.command(kDemo);
    CHECK(busy.body.find("busy") != std::string::npos);
    check_inert_payload(nlohmann::json::parse(busy.body));
    check_inert_mrkdwn(limit_text(5));
}

TEST_CASE("an event id is handled once") {
    Harness h(4, 4);
    for (int i = 0; i < 3; ++i) CHECK(h.post("application/json", mention("EvX")).status == 200);
    h.ioc.run();
    CHECK(h.chat.calls.size() == 2);
    CHECK(h.endpoint->stats().duplicates == 2);
}

TEST_CASE("health, methods and paths") {
    Harness h;
    http::ServerRequest r;
    r.method = "GET";
    r.target = "/healthz";
    CHECK(h.endpoint->handle(r).status == 200);
    r.target = "/slack/events";
    CHECK(h.endpoint->handle(r).status == 405);
    r.target = "/other";
    CHECK(h.endpoint->handle(r).status == 404);
}

TEST_CASE("a double-clicked button does its work once") {
    Harness h;
    auto press = [&h](const std::string& message_ts) {
        const nlohmann::json payload{
            {"type", "block_actions"},
            {"api_app_id", "A1"},
            {"team", {{"id", "T1"}}},
            {"user", {{"id", "U1"}}},
            {"channel", {{"id", "C1"}}},
            {"container", {{"message_ts", message_ts}}},
            {"response_url", "https://hooks.slack.com/actions/1"},
            {"actions",
             {{{"action_id", "improve_jira"}, {"value", R"({"s":"web-gateway","e":"GET /x"})"}}}}};
        std::string body = "payload=";
        for (const unsigned char c : payload.dump()) {
            body += fmt::format("%{:02X}", c);
        }
        const auto response = h.post("application/x-www-form-urlencoded", body);
        h.ioc.run();
        h.ioc.restart();
        return response.status;
    };
    CHECK(press("10.1") == 200);
    const auto after_first = h.chat.calls.size();
    REQUIRE(after_first > 0);
    CHECK(press("10.1") == 200);
    CHECK(h.chat.calls.size() == after_first);
    CHECK(h.endpoint->stats().duplicates == 1);
    CHECK(press("10.2") == 200);  // the same button on another message is another press
    CHECK(h.chat.calls.size() > after_first);
}

TEST_CASE("forged requests are all counted, their warning written once per interval") {
    LogCapture logs(log::Level::warn);
    Harness h;  // its clock stands still: one interval
    for (int i = 0; i < 100; ++i) {
        auto forged = signed_slack_request("wrong-secret", kNow, "application/json", "{}");
        forged.remote = "192.0.2.7:4000";
        CHECK(h.endpoint->handle(forged).status == 401);
    }
    CHECK(h.endpoint->stats().bad_signatures == 100);
    http::ServerRequest scrape;
    scrape.method = "GET";
    scrape.target = "/metrics";
    CHECK(
        h.endpoint->handle(scrape).body.find("\nnra_bad_signatures_total 100\n") !=
        std::string::npos
    );
    std::size_t warnings = 0;
    for (const auto& line : logs.lines()) {
        if (line.find("signature") != std::string::npos) ++warnings;
    }
    CHECK(warnings == 1);
    CHECK(logs.mentions("192.0.2.7"));
}

TEST_CASE("only answers to validly signed requests vouch for their connection") {
    Harness h;
    CHECK(h.command(kDemo).authenticated);
    CHECK(h.post("application/json", "not json").authenticated);  // signed, yet unreadable: 400
    CHECK(h.command(kDemo, "T9").authenticated);                  // signed, other team: 403
    const auto forged = signed_slack_request("wrong-secret", kNow, "application/json", "{}");
    CHECK_FALSE(h.endpoint->handle(forged).authenticated);
    http::ServerRequest health;
    health.method = "GET";
    health.target = "/healthz";
    CHECK_FALSE(h.endpoint->handle(health).authenticated);
}

}  // namespace events_endpoint_test
