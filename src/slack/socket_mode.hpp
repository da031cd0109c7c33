// Socket Mode (SLACK_APP_TOKEN): the bot connects out to Slack instead of exposing an HTTPS
// endpoint. apps.connections.open with the app-level token gives a single-use wss:// URL; every
// envelope is acknowledged at once with what the shared dispatcher answers (the same handlers as
// over HTTP); `disconnect` (warning, refresh_requested) opens the next connection before the old
// one closes, so nothing is lost; a dropped or silent socket is replaced with backoff; repeated
// envelope ids (Slack's redeliveries) are acked but handled once.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "slack/event_dedup.hpp"
#include "slack/socket_connection.hpp"
#include "slack/socket_frames.hpp"

namespace nra::http {
class Client;
}

namespace nra::slack {

struct SocketModeOptions {
    std::string app_token;                          // xapp-…: secret, never logged
    std::string api_url = "https://slack.com/api";  // apps.connections.open lives here
    bool debug_reconnects = false;                  // ask Slack for short-lived connections
    SocketTimeouts timeouts;
    std::chrono::milliseconds hello_timeout{10'000};
    std::chrono::milliseconds backoff_base{1'000};  // doubled per consecutive failure
    std::chrono::milliseconds backoff_max{30'000};
};

struct SocketModeStats {
    std::size_t connections = 0;  // connections that said hello
    std::size_t envelopes = 0;    // envelopes acked (duplicates included)
    std::size_t duplicates = 0;   // envelope ids seen before: acked, not handled again
    std::size_t malformed = 0;    // frames we could not read
    std::size_t failures = 0;     // failed attempts to open a connection
};

class SocketModeClient {
public:
    // The ack payload for an envelope (a JSON object, e.g. a slash command's immediate answer) or
    // empty for a bare ack. Called on the I/O thread; must be fast (Slack waits 3 s).
    using Dispatch = std::function<std::string(const Envelope&)>;

    SocketModeClient(
        boost::asio::any_io_executor executor,
        http::Client& client,
        SocketModeOptions options,
        Dispatch dispatch
    );
    ~SocketModeClient();

    void start();  // runs until stop(); failures are logged and retried
    // Stops reconnecting and closes the open connections (graceful shutdown).
    boost::asio::awaitable<void> stop();

    // Counters for the bot's own metrics (/metrics).
    const SocketModeStats& stats() const { return stats_; }

private:
    boost::asio::awaitable<void> run();
    boost::asio::awaitable<std::shared_ptr<SocketConnection>> connect_one();
    boost::asio::awaitable<std::string> open_url();
    boost::asio::awaitable<void> wait_until(
        std::function<bool()> done, std::chrono::steady_clock::time_point deadline
    );
    boost::asio::awaitable<void> read(std::shared_ptr<SocketConnection> connection);
    std::optional<std::string> on_frame(SocketConnection& connection, std::string_view text);
    void wake();

    boost::asio::any_io_executor executor_;
    http::Client& client_;
    SocketModeOptions options_;
    Dispatch dispatch_;
    std::set<boost::asio::steady_timer*> waiters_;  // wait_until's timers, woken by wake()
    EventDedup envelopes_;
    std::set<std::shared_ptr<SocketConnection>> open_;
    SocketModeStats stats_;
    bool stopping_ = false;
    bool running_ = false;
    bool fatal_ = false;  // the token is refused: retrying cannot help
    int next_id_ = 1;
};

}  // namespace nra::slack
