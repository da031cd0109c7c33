// Shared set-up of the HTTP server tests: a runner for the server and client on one
// io_context, raw-socket helpers, signals and a log capture.
#pragma once

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "support/log_capture.hpp"
#include "support/test_pki.hpp"

namespace server_test {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using nra::http::Client;
using nra::http::ClientOptions;
using nra::http::HttpServer;
using nra::http::Outcome;
using nra::http::Request;
using nra::http::ServerOptions;
using nra::http::ServerRequest;
using nra::http::ServerResponse;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr auto kTestLimit = std::chrono::seconds(10);  // backstop against a hanging test

template <class T>
struct Store {
    std::optional<T>* out;
    std::exception_ptr* error;
    asio::io_context* ioc;
    void operator()(const std::exception_ptr& e, T value) const {
        *error = e;
        if (!e) *out = std::move(value);
        ioc->stop();  // the server's accept loop would keep run() going forever
    }
};

// Runs the client side to completion while the server serves on the same thread.
template <class T>
T run(asio::io_context& ioc, asio::awaitable<T> work) {
    std::optional<T> out;
    std::exception_ptr error;
    asio::co_spawn(ioc, std::move(work), Store<T>{&out, &error, &ioc});
    ioc.restart();
    ioc.run_for(kTestLimit);
    if (error) std::rethrow_exception(error);
    REQUIRE(out.has_value());
    return std::move(*out);
}

inline ServerOptions loopback(ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    return options;
}

inline ServerResponse reply(int status, std::string body) {
    ServerResponse out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

inline ServerResponse ok(const ServerRequest& /*request*/) {
    return reply(200, R"({"ok":true})");
}

struct Served {
    asio::io_context ioc;  // first: outlives the server and every socket
    HttpServer server;

    Served(ServerOptions options, nra::http::RequestHandler handler)
        : server(ioc.get_executor(), loopback(std::move(options)), std::move(handler)) {
        server.start();
    }
    std::string url(const std::string& path, const char* scheme = "http") const {
        return std::string(scheme) + "://127.0.0.1:" + std::to_string(server.port()) + path;
    }
    Outcome send(Client& client, Request request) {
        return run(ioc, client.send(std::move(request)));
    }
};

inline Request request(std::string method, std::string url) {
    Request out;
    out.method = std::move(method);
    out.url = std::move(url);
    out.timeout = milliseconds{5000};
    return out;
}

// --- raw sockets --------------------------------------------------------------------------------

inline asio::awaitable<tcp::socket> connect(unsigned short port) {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    co_return socket;
}

// Reads until the peer closes; the error says how (eof: a clean close).
inline asio::awaitable<error_code> read_until_closed(tcp::socket& socket, std::string* sink) {
    error_code ec;
    std::array<char, std::size_t{16} * 1024> buffer{};
    while (!ec) {
        const std::size_t n = co_await socket.async_read_some(
            asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec)
        );
        if (sink != nullptr) sink->append(buffer.data(), n);
    }
    co_return ec;
}

inline bool closed_by_peer(const error_code& ec) {
    return ec == asio::error::eof || ec == asio::error::connection_reset;
}

struct RawReply {
    bhttp::response<bhttp::string_body> response;
    error_code read_error;  // of the response
    bool closed_after = false;
};

// Sends `bytes` as they are, reads one response, then whether the server closes.
inline asio::awaitable<RawReply> raw_exchange(unsigned short port, std::string bytes) {
    tcp::socket socket = co_await connect(port);
    RawReply out;
    error_code ec;
    co_await asio::async_write(
        socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec)
    );
    boost::beast::flat_buffer buffer;
    co_await bhttp::async_read(
        socket, buffer, out.response, asio::redirect_error(asio::use_awaitable, out.read_error)
    );
    if (!out.read_error)
        out.closed_after = closed_by_peer(co_await read_until_closed(socket, nullptr));
    co_return out;
}

// Sends `bytes`, half-closes, returns everything the server sends until it closes.
inline asio::awaitable<std::string> raw_bytes(unsigned short port, std::string bytes) {
    tcp::socket socket = co_await connect(port);
    co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
    socket.shutdown(tcp::socket::shutdown_send);
    std::string received;
    co_await read_until_closed(socket, &received);
    co_return received;
}

inline RawReply raw(Served& s, std::string bytes) {
    return run(s.ioc, raw_exchange(s.server.port(), std::move(bytes)));
}

// Sends each request on one connection and reads its response, stopping at the first error.
inline asio::awaitable<std::vector<bhttp::response<bhttp::string_body>>> raw_sequence(
    unsigned short port, std::vector<std::string> requests
) {
    tcp::socket socket = co_await connect(port);
    boost::beast::flat_buffer buffer;
    std::vector<bhttp::response<bhttp::string_body>> out;
    for (const auto& bytes : requests) {
        error_code ec;
        co_await asio::async_write(
            socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec)
        );
        bhttp::response<bhttp::string_body> response;
        if (!ec) {
            co_await bhttp::async_read(
                socket, buffer, response, asio::redirect_error(asio::use_awaitable, ec)
            );
        }
        if (ec) break;
        out.push_back(std::move(response));
    }
    co_return out;
}

// An event the server side raises (from a handler) and the client side awaits.
struct Signal {
    asio::steady_timer timer;
    bool fired = false;
    explicit Signal(asio::io_context& ioc) : timer(ioc, asio::steady_timer::time_point::max()) {}
    void fire() {
        fired = true;
        timer.cancel();
    }
};

inline asio::awaitable<void> wait_for(Signal& signal) {
    error_code ec;
    if (!signal.fired)
        co_await signal.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

inline asio::awaitable<void> pause(milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace server_test
