// Socket Mode client against the fake Socket Mode server: hello, acks (with and without a
// payload), reconnects on disconnect before the old connection closes, drops, redeliveries,
// malformed frames, refused tokens and URLs, silent connections. No sleeps: every wait is on an
// observable condition with a generous timeout.
#include <catch2/catch.hpp>

#include "socket_mode_harness.hpp"

namespace socket_mode_test {

using namespace nra;
using namespace nra::test;
using namespace nra::test::socket_mode;

TEST_CASE("Socket Mode says hello and acks each envelope at once") {
    Harness h;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    const auto id = h.sockets.send("events_api", mention(1));
    REQUIRE(h.sockets.wait_for_acks(1, kWait));
    const auto acks = h.sockets.acks();
    CHECK(acks[0].envelope_id == id);
    CHECK(acks[0].payload.is_null());  // events get a bare ack
    CHECK(h.handled().at(id) == 1);
    CHECK(h.sockets.targets()[0].find("ticket=") != std::string::npos);
    h.stop();
    CHECK_FALSE(h.log.mentions(kAppToken));
}

TEST_CASE("a slash command's ack carries the dispatcher's answer") {
    Harness h;
    h.answer = R"({"response_type":"ephemeral","text":"Usage: /trace <id>"})";
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    h.sockets.send("slash_commands", nlohmann::json{{"command", "/trace"}, {"text", ""}}, true);
    REQUIRE(h.sockets.wait_for_acks(1, kWait));
    CHECK(h.sockets.acks()[0].payload.value("text", "") == "Usage: /trace <id>");
}

TEST_CASE("disconnect opens the next connection before the old one closes") {
    Harness h;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    h.sockets.disconnect("refresh_requested");
    REQUIRE(h.sockets.wait_for_connections(2, kWait));
    REQUIRE(h.sockets.wait_for_open(1, kWait));
    CHECK(h.sockets.max_open_connections() == 2);  // overlap: nothing could be lost
    const auto id = h.sockets.send("events_api", mention(2));
    REQUIRE(h.sockets.wait_for_acks(1, kWait));
    CHECK(h.sockets.acks()[0].connection == 2);
    CHECK(h.handled().at(id) == 1);
}

TEST_CASE("a dropped socket is replaced and unacked envelopes arrive once") {
    Harness h;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    h.sockets.drop();
    REQUIRE(h.sockets.wait_for_connections(2, kWait));
    const auto id = h.sockets.send("events_api", mention(3));
    REQUIRE(h.sockets.wait_for_acks(1, kWait));
    CHECK(h.handled().at(id) == 1);
    h.sockets.drop_mid_frame();
    REQUIRE(h.sockets.wait_for_connections(3, kWait));
    const auto next = h.sockets.send("events_api", mention(4));
    REQUIRE(h.sockets.wait_for_acks(2, kWait));
    CHECK(h.handled().at(next) == 1);
}

TEST_CASE("frequent reconnects under a stream of events lose and double nothing") {
    Harness h;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    constexpr int kEvents = 300;
    std::size_t connections = 1;
    for (int i = 0; i < kEvents; ++i) {
        h.sockets.send("events_api", mention(100 + i));
        if (i % 30 == 29) {  // events keep coming while the connection is replaced
            i % 60 == 59 ? h.sockets.drop() : h.sockets.disconnect("warning");
            ++connections;
        }
        if (i % 30 == 9 && i > 30) REQUIRE(h.sockets.wait_for_connections(connections, kWait));
    }
    REQUIRE(h.wait_handled(kEvents));
    REQUIRE(h.sockets.wait_for_acks(kEvents, kWait));
    CHECK(h.sockets.connections_opened() == connections);
    const auto handled = h.handled();
    CHECK(handled.size() == kEvents);
    for (const auto& [id, times] : handled) {
        INFO(id);
        CHECK(times == 1);
    }
    CHECK(h.sockets.pending() == 0);
}

TEST_CASE("malformed and unexpected frames are ignored and the connection keeps working") {
    Harness h;
    h.options.timeouts.max_frame_bytes = 64 * 1024;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    for (const char* bad :
         {"not json",
          "[1,2]",
          R"({"type":"weird"})",
          R"({"envelope_id":""})",
          "{}",
          R"({"type":"hello","num_connections":"x"})",
          R"({"envelope_id":"e1","type":"events_api","payload":7})"}) {
        h.sockets.send_raw(bad);
    }
    h.sockets.send_binary("\x01\x02");
    const auto id = h.sockets.send("events_api", mention(5));
    REQUIRE(h.sockets.wait_for_acks(2, kWait));  // e1 (bad payload) and the mention
    CHECK(h.handled().at(id) == 1);
    CHECK(h.sockets.connections_opened() == 1);
    h.sockets.send_raw(std::string(100 * 1024, 'x'));  // over the frame limit: reconnect
    REQUIRE(h.sockets.wait_for_connections(2, kWait));
    const auto after = h.sockets.send("events_api", mention(6));
    REQUIRE(h.sockets.wait_for_acks(3, kWait));
    CHECK(h.handled().at(after) == 1);
}

TEST_CASE("a refused app token stops Socket Mode without a connection") {
    Harness h;
    h.options.app_token = "xapp-wrong";
    h.start();
    REQUIRE(h.api.wait_for_requests(1, kWait) == 1);
    h.stop();
    CHECK(h.api.requests().size() == 1);  // invalid_auth is not retried
    CHECK(h.sockets.connections_opened() == 0);
    INFO(h.log.text());
    CHECK(h.log.mentions("token was refused"));
    CHECK_FALSE(h.log.mentions("xapp-wrong"));
}

TEST_CASE("rate limits, server errors and refused URLs are retried") {
    Harness h;
    FakeReply limited;
    limited.status = 429;
    limited.headers = {{"Retry-After", "1"}};
    FakeReply broken;
    broken.status = 500;
    FakeReply stale;
    stale.body = R"({"ok":true,"url":"wss://127.0.0.1:)" +
                 h.sockets.new_url().substr(std::string("wss://127.0.0.1:").size(), 5) +
                 R"(/link/?ticket=used"})";
    h.script(limited);
    h.script(broken);
    h.script(stale);
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    CHECK(h.api.requests().size() == 4);
    CHECK(h.sockets.refused_handshakes() == 1);
}

TEST_CASE("a connection that stops answering pings is replaced") {
    Harness h;
    h.options.timeouts.idle = milliseconds{600};
    h.sockets.mute_new_connections(true);
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    h.sockets.mute_new_connections(false);
    REQUIRE(h.sockets.wait_for_connections(2, kWait));
    const auto id = h.sockets.send("events_api", mention(7));
    REQUIRE(h.sockets.wait_for_acks(1, kWait));
    CHECK(h.handled().at(id) == 1);
}

TEST_CASE("debug_reconnects is asked for when configured") {
    Harness h;
    h.options.debug_reconnects = true;
    h.start();
    REQUIRE(h.sockets.wait_for_connections(1, kWait));
    CHECK(h.sockets.targets()[0].find("&debug_reconnects=true") != std::string::npos);
}

}  // namespace socket_mode_test
