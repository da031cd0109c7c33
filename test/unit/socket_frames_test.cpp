#include "slack/socket_frames.hpp"

#include <catch2/catch.hpp>

namespace socket_frames_test {

using namespace nra::slack;

TEST_CASE("hello and disconnect frames") {
    auto hello = parse_socket_frame(
        R"({"type":"hello","connection_info":{"app_id":"A1"},"num_connections":2,)"
        R"("debug_info":{"host":"applink-1","approximate_connection_time":18060}})"
    );
    REQUIRE(std::holds_alternative<Hello>(hello));
    CHECK(std::get<Hello>(hello).num_connections == 2);
    CHECK(std::get<Hello>(hello).approximate_connection_time_s == 18060);
    auto bye = parse_socket_frame(R"({"type":"disconnect","reason":"warning"})");
    REQUIRE(std::holds_alternative<Disconnect>(bye));
    CHECK(std::get<Disconnect>(bye).reason == "warning");
}

TEST_CASE("an envelope keeps its id, type, payload and retry fields") {
    auto frame = parse_socket_frame(
        R"({"envelope_id":"57d6a792","type":"events_api","accepts_response_payload":false,)"
        R"("retry_attempt":1,"retry_reason":"timeout","payload":{"type":"event_callback"}})"
    );
    REQUIRE(std::holds_alternative<Envelope>(frame));
    const auto& e = std::get<Envelope>(frame);
    CHECK(e.envelope_id == "57d6a792");
    CHECK(e.type == "events_api");
    CHECK(e.retry_attempt == 1);
    CHECK(e.retry_reason == "timeout");
    CHECK_FALSE(e.accepts_response_payload);
    CHECK(e.payload.value("type", "") == "event_callback");
}

TEST_CASE("unreadable frames are Malformed, never exceptions") {
    for (const char* bad :
         {"",
          "x",
          "[]",
          "3",
          "{}",
          R"({"type":"nope"})",
          R"({"envelope_id":""})",
          R"({"envelope_id":7})",
          R"({"type":"hello","num_connections":-5})"}) {
        INFO(bad);
        const auto frame = parse_socket_frame(bad);
        const bool malformed = std::holds_alternative<Malformed>(frame);
        const bool hello = std::holds_alternative<Hello>(frame);
        CHECK((malformed || hello));
        if (hello) CHECK(std::get<Hello>(frame).num_connections == 0);
    }
}

TEST_CASE("acks carry a payload only when it is a JSON object") {
    CHECK(ack_frame("e1", "") == R"({"envelope_id":"e1"})");
    CHECK(ack_frame("e1", R"({"text":"hi"})") == R"({"envelope_id":"e1","payload":{"text":"hi"}})");
    CHECK(ack_frame("e1", "[1]") == R"({"envelope_id":"e1"})");
    CHECK(ack_frame("e1", "{broken") == R"({"envelope_id":"e1"})");
    CHECK(ack_frame("e\"1", "") == R"({"envelope_id":"e\"1"})");
}

}  // namespace socket_frames_test
