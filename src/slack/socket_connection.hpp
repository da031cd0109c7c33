// One Socket Mode WebSocket (wss://) connection: opened through the shared HTTPS client (trust
// store, host-name check, proxy), Beast's keep-alive pings and idle timeout, a bounded frame
// size, one reader that hands each text frame to a sink and writes back what the sink answers
// (the envelope's ack), and a graceful close. Internal to src/slack.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace nra::http {
class Client;
}

namespace nra::slack {

struct SocketTimeouts {
    std::chrono::milliseconds open{10'000};  // TCP + TLS + WebSocket handshake
    std::chrono::milliseconds idle{30'000};  // no frame for this long: the connection is dead
    std::chrono::milliseconds close{5'000};  // closing handshake
    std::size_t max_frame_bytes = std::size_t{1} << 20;  // Slack's payloads are far smaller
};

class SocketConnection {
public:
    // The answer to write back for a text frame (an ack), or nothing.
    using Sink = std::function<std::optional<std::string>(SocketConnection&, std::string text)>;

    SocketConnection(int id, SocketTimeouts timeouts);
    ~SocketConnection();
    SocketConnection(const SocketConnection&) = delete;
    SocketConnection& operator=(const SocketConnection&) = delete;

    // Connects to a wss:// URL. Empty on success, else one line for the log (no ticket in it).
    boost::asio::awaitable<std::string> open(http::Client& client, std::string url);
    // Reads until the connection closes or fails; returns why it ended (for the log).
    boost::asio::awaitable<std::string> read_loop(Sink sink);
    // Closing handshake (after a replacement is up, or on shutdown); safe to call twice.
    boost::asio::awaitable<void> close();

    int id() const { return id_; }
    bool closing() const { return closing_; }

    // Connection state, read and written by the supervisor (all on the I/O thread).
    bool hello = false;
    bool replace_requested = false;
    bool ended = false;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int id_;
    bool closing_ = false;
};

// "wss://host/path?…" → "https://host/path?…" (and ws → http); empty for other schemes.
std::string https_form_of(const std::string& ws_url);

}  // namespace nra::slack
