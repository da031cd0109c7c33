// Internal to the HTTP server: the state shared by the listener, the connection coroutines and
// stop(), and one accepted connection. Everything here is touched on the server's executor only,
// except the atomic counters that stats() reads from any thread.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/server.hpp"
#include "log/log_limiter.hpp"

namespace nra::http::detail {

class ServerConnection;

struct ServerState {
    ServerState(boost::asio::any_io_executor ex, ServerOptions opts, RequestHandler h);

    // Graceful stop: no more accepts, idle connections closed, busy ones finish.
    void begin_stop();
    // Hard stop of every connection (deadline passed, or the server is destroyed).
    void close_all();
    // At max_connections, closes the idle connection to shed first so a new one fits: one that
    // no route vouched for before one that did, then the longest idle. False: none is idle.
    bool make_room();
    void forget(std::size_t id, bool shed);  // a connection ended
    void notify_if_drained();

    boost::asio::any_io_executor executor;
    const ServerOptions options;
    RequestHandler handler;
    std::optional<boost::asio::ssl::context> tls;  // set by start() when TLS is configured
    boost::asio::ip::tcp::acceptor acceptor;
    unsigned short port = 0;
    bool started = false;
    bool stopping = false;

    std::map<std::size_t, ServerConnection*> connections;
    std::size_t shed_closing = 0;  // shed, but their coroutines have not ended yet
    std::size_t next_id = 0;
    std::vector<boost::asio::steady_timer*> drain_waiters;  // stopped() callers

    std::atomic<std::size_t> connections_open{0};
    std::atomic<std::size_t> connections_total{0};
    std::atomic<std::size_t> connections_refused{0};
    std::atomic<std::size_t> connections_shed{0};
    std::atomic<std::size_t> requests{0};

    // Lines outsiders can cause at will, each at most once per interval (the rest are counted).
    log::LogLimiter refusal_log;
    log::LogLimiter shed_log;
    log::LogLimiter malformed_log;
    log::LogLimiter accept_log;
};

// One accepted connection; registered with the state for its whole life, so stop() can reach
// its socket. Owned by its coroutine frame (which also keeps the state alive).
class ServerConnection {
public:
    ServerConnection(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket);
    ~ServerConnection();
    ServerConnection(const ServerConnection&) = delete;
    ServerConnection& operator=(const ServerConnection&) = delete;

    boost::beast::tcp_stream& tcp();
    boost::beast::ssl_stream<boost::beast::tcp_stream>* tls() { return tls_.get(); }
    ServerState& state() { return *state_; }
    const std::string& remote() const { return remote_; }
    void close();
    // Closes an idle connection to make room for a new one (ServerState::make_room).
    void shed();
    bool is_shed() const { return shed_; }
    // Waiting (or no longer waiting) for the first byte of a request.
    void set_idle(bool idle);
    bool idle() const { return idle_; }
    std::chrono::steady_clock::time_point idle_since() const { return idle_since_; }

    // A route vouched for a request on this connection (ServerResponse::authenticated): it may
    // stay idle for idle_timeout, and is shed after those no route vouched for.
    bool authenticated = false;

private:
    std::shared_ptr<ServerState> state_;
    std::size_t id_;
    std::string remote_;
    bool idle_ = true;  // accepted or between requests: stop() and make_room() may close it
    bool shed_ = false;
    std::chrono::steady_clock::time_point idle_since_ = std::chrono::steady_clock::now();
    std::unique_ptr<boost::beast::tcp_stream> plain_;
    std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
};

// "address:port" of the peer, for logs ("" when the socket has none any more).
std::string remote_of(const boost::asio::ip::tcp::socket& socket);

// Serves requests on `connection` until either side closes (server_connection.cpp).
boost::asio::awaitable<void> serve_connection(std::shared_ptr<ServerConnection> connection);

// Builds the TLS context from the options, or nothing for plain HTTP (server_tls.cpp).
std::optional<boost::asio::ssl::context> make_server_tls(const ServerOptions& options);

}  // namespace nra::http::detail
