// Shared set-up of the HTTPS client tests: a coroutine runner, request and reply builders,
// TLS options trusting the test CA, quick retry policies.
#pragma once

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "http/retry.hpp"
#include "support/fake_http_server.hpp"
#include "support/test_pki.hpp"

namespace client_test {

namespace asio = boost::asio;
using nra::http::Client;
using nra::http::ClientOptions;
using nra::http::Failure;
using nra::http::Outcome;
using nra::http::Request;
using nra::http::RetryPolicy;
using nra::test::FakeConnectProxy;
using nra::test::FakeHttpServer;
using nra::test::FakeReply;
using nra::test::FakeRequest;
using nra::test::FakeServerOptions;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Action = FakeReply::Action;

// Runs one client coroutine to completion on the test thread; rethrows what escaped it.
inline Outcome run(asio::io_context& ioc, asio::awaitable<Outcome> work) {
    std::optional<Outcome> result;
    std::exception_ptr error;
    bool done = false;
    asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e, Outcome outcome) {
        error = e;
        if (!e) result = std::move(outcome);
        done = true;
    });
    ioc.restart();
    // Until the request is answered, not until all work is gone: a DNS lookup abandoned at the
    // deadline may still be running on the resolver's thread.
    while (!done && ioc.run_one() > 0) {
    }
    if (error) std::rethrow_exception(error);
    REQUIRE(result.has_value());
    return std::move(*result);
}

inline Request get(std::string url, milliseconds timeout = milliseconds{5000}) {
    Request request;
    request.method = "GET";
    request.url = std::move(url);
    request.timeout = timeout;
    return request;
}

// One Client on an io_context that the test thread drives.
struct Harness {
    asio::io_context ioc;  // first: outlives the client's sockets
    Client client;

    explicit Harness(ClientOptions options = {}) : client(ioc.get_executor(), std::move(options)) {}

    Outcome send(Request request) { return run(ioc, client.send(std::move(request))); }
    Outcome get(std::string url, milliseconds timeout = milliseconds{5000}) {
        return send(client_test::get(std::move(url), timeout));
    }
    Outcome retry(Request request, RetryPolicy policy) {
        return run(ioc, nra::http::send_with_retry(client, std::move(request), policy));
    }
};

inline FakeReply reply(int status, std::string body = "{}") {
    FakeReply out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

inline FakeReply with_action(Action action, std::string body = "{}") {
    FakeReply out = reply(200, std::move(body));
    out.action = action;
    return out;
}

inline FakeReply ok_reply(const FakeRequest&) {
    return reply(200, R"({"ok":true})");
}

// Replies with the scripted replies in order, then 200 "done"; called on the server thread.
struct Script {
    std::vector<FakeReply> replies;
    std::atomic<std::size_t> next{0};

    FakeReply operator()(const FakeRequest&) {
        const std::size_t i = next++;
        return i < replies.size() ? replies[i] : reply(200, "done");
    }
};

inline FakeServerOptions with_tls(std::string cert_host = "127.0.0.1") {
    FakeServerOptions options;
    options.tls = true;
    options.cert_host = std::move(cert_host);
    return options;
}

inline ClientOptions trusting_test_ca() {
    ClientOptions options;
    options.ca_pem = nra::test::test_pki().ca_pem;
    return options;
}

inline RetryPolicy quick_retries(std::uint64_t seed) {
    RetryPolicy policy;
    policy.base_delay = milliseconds{1};
    policy.seed = seed;
    return policy;
}

// A port with nothing listening: bound (so nobody else takes it) but never listen()ed.
struct ClosedPort {
    asio::io_context ioc;
    asio::ip::tcp::socket socket{ioc};
    unsigned short port = 0;

    ClosedPort() {
        socket.open(asio::ip::tcp::v4());
        socket.bind({asio::ip::make_address("127.0.0.1"), 0});
        port = socket.local_endpoint().port();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/"; }
};

}  // namespace client_test
