// The real `serve` binary in Socket Mode only (SLACK_APP_TOKEN, no signing secret): it opens
// its connection through the fake Slack's apps.connections.open, takes envelopes from the fake
// Socket Mode server, acks them at once and answers through the same handlers as over HTTP.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"
#include "support/fake_socket_mode.hpp"
#include "support/test_pki.hpp"

namespace slack_socket_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const std::string kDemo = "4bf92f3577b34da6a3ce929d0e0e4736";

struct SocketE2E {
    SocketE2E() {
        slack.set_socket_url([this] { return sockets.new_url(); });
        server = std::make_unique<ServerProcess>(std::map<std::string, std::string>{
            {"PORT", "0"},
            {"SLACK_APP_TOKEN", FakeSlack::kAppToken},
            {"SLACK_BOT_TOKEN", FakeSlack::kBotToken},
            {"SLACK_API_URL", slack.api_url()},
            {"NR_ANALYZER_CA_FILE", test_pki().ca_file},
            {"NR_ANALYZER_JOBS", "1"},
        });
    }

    static nlohmann::json mention(const std::string& event_id, const std::string& text) {
        return nlohmann::json::parse(SlackE2E::mention(event_id, text, "1700000400.000100"));
    }

    FakeSocketMode sockets;
    FakeSlack slack;
    std::unique_ptr<ServerProcess> server;
};

}  // namespace

TEST_CASE("Socket Mode: /trace is acked inside the envelope ack, then answered in the channel") {
    SocketE2E e2e;
    REQUIRE(e2e.sockets.wait_for_connections(1, 20s));
    const nlohmann::json command{
        {"command", "/trace"},
        {"text", kDemo},
        {"channel_id", "C1"},
        {"user_id", "U1"},
        {"team_id", "T1"},
        {"api_app_id", "A1"},
        {"response_url", e2e.slack.response_url("r1")}};
    e2e.sockets.send("slash_commands", command, true);
    REQUIRE(e2e.sockets.wait_for_acks(1, 10s));
    CHECK(
        e2e.sockets.acks()[0].payload.value("text", "").find("Analysing trace") != std::string::npos
    );
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
    const auto calls = e2e.slack.calls();
    std::vector<SlackCall> posts;
    for (const auto& c : calls) {
        if (c.method == "chat.postMessage") posts.push_back(c);
    }
    CHECK(posts[0].body["channel"] == "C1");
    CHECK(posts[1].body["thread_ts"] == posts[0].ts);
    CHECK(calls[0].method == "apps.connections.open");
    CHECK(calls[0].authorization == std::string("Bearer ") + FakeSlack::kAppToken);
}

TEST_CASE("Socket Mode: a mention redelivered and a reconnect in between give one reply each") {
    SocketE2E e2e;
    REQUIRE(e2e.sockets.wait_for_connections(1, 20s));
    e2e.sockets.send("events_api", SocketE2E::mention("EvA", "<@UBOT> help"));
    e2e.sockets.send("events_api", SocketE2E::mention("EvA", "<@UBOT> help"));  // Slack's retry
    e2e.sockets.disconnect("refresh_requested");
    REQUIRE(e2e.sockets.wait_for_connections(2, 20s));
    e2e.sockets.send("events_api", SocketE2E::mention("EvB", "<@UBOT> nothing here"));
    REQUIRE(e2e.sockets.wait_for_acks(3, 10s));
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
    // HTTP is closed to Slack requests when there is no signing secret.
    SlackE2E::Reply reply;
    {
        boost::asio::io_context ioc;
        nra::http::Client client(ioc.get_executor(), {});
        nra::http::Request request;
        request.url = e2e.server->url("/slack/events");
        request.body = "command=/trace&text=x";
        request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
        auto out = run_blocking(ioc, client.send(std::move(request)));
        reply.status = out.ok() ? out.response.status : -1;
    }
    CHECK(reply.status == 404);
    CHECK(e2e.server->terminate() == 0);  // drains the jobs: nothing more can be posted
    std::size_t replies = 0;
    for (const auto& c : e2e.slack.calls()) {
        if (c.method != "chat.postMessage") continue;
        ++replies;
        CHECK(c.body["thread_ts"] == "1700000400.000100");
    }
    CHECK(replies == 2);
    CHECK(e2e.sockets.max_open_connections() == 2);

    const auto& logs = e2e.server->output();
    CHECK(logs.find(FakeSlack::kAppToken) == std::string::npos);
    CHECK(logs.find(FakeSlack::kBotToken) == std::string::npos);
}

}  // namespace slack_socket_test
