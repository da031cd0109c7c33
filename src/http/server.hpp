// HTTP/1.1 server (Beast) for the Slack endpoint and health checks: plain TCP behind an ingress,
// or TLS when a certificate and key are given. Keep-alive; limits on header size, body size
// (413), connection count (idle connections make room for new ones) and read time (slow clients
// cannot hold a connection); a short keep-alive for connections no route vouched for; graceful
// stop.
// Handlers are synchronous and must be fast: the Slack pattern is verify, enqueue, answer.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"

namespace nra::http {

struct ServerRequest {
    std::string method;  // "GET", "POST", …
    std::string target;  // origin-form with query, e.g. "/slack/events"
    std::vector<Header> headers;
    std::string body;    // raw bytes, exactly as received (signatures are computed over them)
    std::string remote;  // peer address, for logs
    // The client's X-Request-Id when sane, else a fresh one; also log::current_request_id()
    // during the handler and the response's X-Request-Id.
    std::string request_id;

    std::string_view header(std::string_view name) const;  // case-insensitive; empty if absent
    std::string_view path() const;                         // target without the query
};

struct ServerResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<Header> headers;
    std::string body;
    // The request proved who sent it (a valid Slack signature, say). Its connection may then
    // stay idle for ServerOptions::idle_timeout instead of unauthenticated_idle_timeout, and is
    // shed last at the connection limit. Any route may set it; the server knows no more.
    bool authenticated = false;
    // Set: the answer is what this returns, awaited by the connection (a long call such as an
    // MCP tool); the fields above are then ignored. Its coroutine takes what it needs by value.
    std::function<boost::asio::awaitable<ServerResponse>()> later;
};

using RequestHandler = std::function<ServerResponse(const ServerRequest&)>;

struct ServerOptions {
    std::string address = "0.0.0.0";
    unsigned short port = 3000;  // 0: any free port (tests)
    std::string tls_cert_file;   // both set: TLS; both empty: plain HTTP; one: error at start
    std::string tls_key_file;
    std::string tls_cert_pem;  // in-memory alternative (tests)
    std::string tls_key_pem;
    std::size_t max_header_bytes = std::size_t{16} * 1024;
    std::size_t max_body_bytes = std::size_t{1024} * 1024;  // larger → 413
    // At the limit a new connection closes the idle one to shed first (one no route vouched
    // for, the longest idle); when none is idle, the new one is closed at once.
    std::size_t max_connections = 1024;
    std::chrono::milliseconds read_timeout{10'000};  // whole request, first byte to last
    // Keep-alive wait between requests, after an authenticated request on the connection…
    std::chrono::milliseconds idle_timeout{60'000};
    // …and before one: a client that proved nothing does not hold a connection for long.
    std::chrono::milliseconds unauthenticated_idle_timeout{5'000};
};

struct ServerStats {
    std::size_t connections_open = 0;
    std::size_t connections_total = 0;
    std::size_t connections_refused = 0;  // over max_connections with none idle: closed at once
    std::size_t connections_shed = 0;     // idle, closed at max_connections for a new one
    std::size_t requests = 0;
};

class HttpServer {
public:
    HttpServer(
        boost::asio::any_io_executor executor, ServerOptions options, RequestHandler handler
    );
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts accepting (throws std::runtime_error naming the address or the TLS file on
    // failure). Returns the bound port.
    unsigned short start();

    // Graceful stop: no new connections; requests being read or answered complete; idle
    // keep-alive connections close. `stopped()` completes when no connection is left, or at the
    // deadline, after which remaining connections are closed.
    void stop();
    boost::asio::awaitable<void> stopped(std::chrono::milliseconds deadline);

    unsigned short port() const;
    ServerStats stats() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace nra::http
