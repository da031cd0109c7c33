// A fake Slack Socket Mode server: WSS (test CA) on 127.0.0.1 port 0 with single-use URLs
// (hand `new_url` to FakeSlack::set_socket_url), `hello` on connect, envelopes that stay
// pending until acknowledged and are redelivered on another connection when theirs closes
// (as Slack does), `disconnect` frames, abrupt drops, broken frames and silent connections.
// Thread-safe: the test thread calls in, the server runs on its own thread.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace nra::test {

struct SocketAck {
    std::string envelope_id;
    nlohmann::json payload;  // null when the ack had none
    int connection = 0;
};

class FakeSocketMode {
public:
    FakeSocketMode();
    ~FakeSocketMode();
    FakeSocketMode(const FakeSocketMode&) = delete;
    FakeSocketMode& operator=(const FakeSocketMode&) = delete;

    // A fresh single-use wss:// URL; a reused or unknown ticket is refused with HTTP 403.
    std::string new_url();

    // Queues an envelope for the newest connection (or the next one to open); returns its id.
    std::string send(
        const std::string& type, nlohmann::json payload, bool accepts_response_payload = false
    );
    void send_raw(const std::string& text);     // a text frame on the newest connection
    void send_binary(const std::string& data);  // a binary frame on the newest connection
    // A `disconnect` frame on the newest connection, which the server closes once a newer
    // connection has said hello.
    void disconnect(const std::string& reason);
    void drop();            // the newest connection's TCP socket closes without a close frame
    void drop_mid_frame();  // half of a text frame, then the TCP socket closes
    // New connections get hello and then are never read again (pings go unanswered).
    void mute_new_connections(bool mute);

    std::vector<SocketAck> acks() const;
    std::size_t connections_opened() const;  // WebSocket handshakes accepted
    std::size_t open_connections() const;
    std::size_t max_open_connections() const;  // most connections open at the same time
    std::size_t refused_handshakes() const;
    std::vector<std::string> targets() const;  // request targets of accepted handshakes
    std::size_t pending() const;               // envelopes sent and not yet acked

    // Blocks until the condition holds or the timeout passes; returns whether it holds.
    bool wait_for_acks(std::size_t n, std::chrono::milliseconds timeout) const;
    bool wait_for_connections(std::size_t opened, std::chrono::milliseconds timeout) const;
    bool wait_for_open(std::size_t open, std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nra::test
