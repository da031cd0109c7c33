// HTTPS client shared by every adapter (New Relic, Slack, Jira): Beast + OpenSSL,
// TLS 1.2+, certificate and host-name verification against the system store plus an optional
// extra CA, SNI, keep-alive reuse per host, one deadline per request, bounded responses, gzip,
// HTTP(S)_PROXY/NO_PROXY via CONNECT. One Client per io_context; not thread-safe (the I/O
// thread is the only caller).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "http/http_types.hpp"
#include "http/proxy.hpp"

namespace nra::http {

namespace detail {
struct Opened;
}

struct ClientOptions {
    std::string ca_file;  // extra trusted CA (PEM file), added to the system store
    std::string ca_pem;   // same, in memory (tests)
    std::size_t max_response_bytes = std::size_t{64} << 20;  // after decompression
    std::size_t max_idle_per_host = 8;
    std::chrono::seconds idle_timeout{50};  // idle pooled connections older than this are closed
    ProxyConfig proxy;                      // empty: direct connections
    std::string user_agent = "nr-analyzer/0.1";
};

struct ClientStats {
    std::size_t connections_opened = 0;  // TCP connections (to a server or a proxy)
    std::size_t connections_reused = 0;  // requests sent on a pooled keep-alive connection
    std::size_t requests = 0;
};

class Client {
public:
    // Throws boost::system::system_error when ca_file / ca_pem cannot be loaded.
    Client(boost::asio::any_io_executor executor, ClientOptions options);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // One attempt, no retries (see retry.hpp). Never throws for network or HTTP trouble: the
    // Outcome says what went wrong. A pooled connection the server closed meanwhile is
    // replaced transparently (that is not counted as an attempt).
    boost::asio::awaitable<Outcome> send(Request request);

    // A fresh, never pooled connection to the origin of an http(s) `url`, opened with the
    // client's trust store, host-name check and proxy rules before `deadline`: for protocols that
    // take the socket over (Socket Mode's WebSocket). See http/connection.hpp.
    boost::asio::awaitable<detail::Opened> open(
        std::string url, std::chrono::steady_clock::time_point deadline
    );

    ClientStats stats() const;

private:
    boost::asio::awaitable<Outcome> attempt(Request request);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nra::http
