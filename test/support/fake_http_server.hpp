// A scriptable HTTP/1.1 server on 127.0.0.1 port 0 (plain or TLS with a test certificate), on
// its own thread, for adapter and end-to-end tests. Keep-alive is supported; every request is
// recorded. The handler runs on the server thread and decides the reply, including faults.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nra::test {

struct FakeRequest {
    std::string method;
    std::string target;  // origin-form, e.g. "/graphql"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::size_t connection = 0;  // 1-based index of the TCP connection it arrived on

    std::string header(std::string_view name) const;  // case-insensitive; empty when absent
};

struct FakeReply {
    enum class Action {
        respond,        // send the reply
        hang,           // read the request, never answer (until the server stops)
        close,          // close the connection without answering
        truncate_body,  // send headers with the full Content-Length, then half the body, close
    };
    Action action = Action::respond;
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // Content-Type defaults to JSON
    std::string body;
    bool gzip = false;       // compress the body (Content-Encoding: gzip)
    bool keep_alive = true;  // false: "Connection: close" and close after replying
};

using FakeHandler = std::function<FakeReply(const FakeRequest&)>;

struct FakeServerOptions {
    bool tls = false;
    std::string cert_host = "127.0.0.1";  // SAN of the served certificate (TLS only)
};

class FakeHttpServer {
public:
    explicit FakeHttpServer(FakeHandler handler, FakeServerOptions options = {});
    ~FakeHttpServer();  // stops accepting, drops hanging connections, joins the thread
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    unsigned short port() const;
    // "http://127.0.0.1:PORT" + path, or https:// when TLS is on.
    std::string url(std::string_view path = "/") const;

    std::size_t connections_accepted() const;
    std::vector<FakeRequest> requests() const;  // a copy, in arrival order
    // Blocks until `n` requests have arrived or `timeout` passed; returns how many arrived.
    std::size_t wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// An HTTP CONNECT proxy on 127.0.0.1 port 0 that tunnels bytes to the requested target and
// records each CONNECT target ("host:port") and Proxy-Authorization header.
class FakeConnectProxy {
public:
    FakeConnectProxy();
    ~FakeConnectProxy();
    FakeConnectProxy(const FakeConnectProxy&) = delete;
    FakeConnectProxy& operator=(const FakeConnectProxy&) = delete;

    unsigned short port() const;
    std::string url() const;  // "http://127.0.0.1:PORT"
    std::vector<std::string> connect_targets() const;
    std::vector<std::string> authorizations() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nra::test
