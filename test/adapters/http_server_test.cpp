// The HTTP/1.1 server: round trips, keep-alive, limits (413, 431, 400, slow and idle clients,
// connection count), handler failures, TLS, graceful stop and start() errors. The server and
// the client side (the project's Client or raw sockets) share one io_context on the test thread.
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
#include "support/test_pki.hpp"

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

namespace {

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

ServerOptions loopback(ServerOptions options = {}) {
    options.address = "127.0.0.1";
    options.port = 0;
    return options;
}

ServerResponse reply(int status, std::string body) {
    ServerResponse out;
    out.status = status;
    out.body = std::move(body);
    return out;
}

ServerResponse ok(const ServerRequest& /*request*/) {
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

Request request(std::string method, std::string url) {
    Request out;
    out.method = std::move(method);
    out.url = std::move(url);
    out.timeout = milliseconds{5000};
    return out;
}

// --- raw sockets --------------------------------------------------------------------------------

asio::awaitable<tcp::socket> connect(unsigned short port) {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
    co_return socket;
}

// Reads until the peer closes; the error says how (eof: a clean close).
asio::awaitable<error_code> read_until_closed(tcp::socket& socket, std::string* sink) {
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

bool closed_by_peer(const error_code& ec) {
    return ec == asio::error::eof || ec == asio::error::connection_reset;
}

struct RawReply {
    bhttp::response<bhttp::string_body> response;
    error_code read_error;  // of the response
    bool closed_after = false;
};

// Sends `bytes` as they are, reads one response, then whether the server closes.
asio::awaitable<RawReply> raw_exchange(unsigned short port, std::string bytes) {
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
asio::awaitable<std::string> raw_bytes(unsigned short port, std::string bytes) {
    tcp::socket socket = co_await connect(port);
    co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
    socket.shutdown(tcp::socket::shutdown_send);
    std::string received;
    co_await read_until_closed(socket, &received);
    co_return received;
}

RawReply raw(Served& s, std::string bytes) {
    return run(s.ioc, raw_exchange(s.server.port(), std::move(bytes)));
}

// Sends each request on one connection and reads its response, stopping at the first error.
asio::awaitable<std::vector<bhttp::response<bhttp::string_body>>> raw_sequence(
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

asio::awaitable<void> wait_for(Signal& signal) {
    error_code ec;
    if (!signal.fired)
        co_await signal.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> pause(milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    co_await timer.async_wait(asio::use_awaitable);
}

struct LogCapture {
    std::vector<std::string> lines;
    LogCapture() {
        nra::log::set_sink([this](nra::log::Level, std::string_view line) {
            lines.emplace_back(line);
        });
    }
    ~LogCapture() { nra::log::set_sink(nullptr); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
};

}  // namespace

TEST_CASE("ServerRequest::header is case-insensitive; path() drops the query", "[server]") {
    ServerRequest r;
    r.headers = {{"X-Slack-Signature", "v0=abc"}, {"Content-Type", "text/plain"}};
    CHECK(r.header("x-slack-signature") == "v0=abc");
    CHECK(r.header("CONTENT-TYPE") == "text/plain");
    CHECK(r.header("X-Missing").empty());
    r.target = "/slack/events?team=T1&x=?";
    CHECK(r.path() == "/slack/events");
    r.target = "/health";
    CHECK(r.path() == "/health");
}

TEST_CASE("POST and GET round trip: exact request in, status, type and body out", "[server]") {
    std::vector<ServerRequest> seen;
    Served s({}, [&seen](const ServerRequest& r) {
        seen.push_back(r);
        ServerResponse out = reply(201, "got " + r.method);
        out.content_type = "text/plain; charset=utf-8";
        out.headers = {{"X-Reply", "yes"}};
        return out;
    });
    Client client(s.ioc.get_executor(), {});
    Request post = request("POST", s.url("/slack/events?team=T1"));
    post.headers = {{"X-Slack-Signature", "v0=abc"}, {"Content-Type", "application/json"}};
    const std::string body("payload=%7B%7D\r\n\0\xff end", 22);
    post.body = body;
    const Outcome posted = s.send(client, post);
    INFO(posted.detail);
    REQUIRE(posted.ok());
    CHECK(posted.response.status == 201);
    CHECK(posted.response.header("content-type") == "text/plain; charset=utf-8");
    CHECK(posted.response.header("x-reply") == "yes");
    CHECK(posted.response.body == "got POST");

    const Outcome got = s.send(client, request("GET", s.url("/health")));
    REQUIRE(got.ok());
    CHECK(got.response.body == "got GET");

    REQUIRE(seen.size() == 2);
    CHECK(seen[0].method == "POST");
    CHECK(seen[0].target == "/slack/events?team=T1");
    CHECK(seen[0].path() == "/slack/events");
    CHECK(seen[0].header("x-slack-signature") == "v0=abc");
    CHECK(seen[0].body == body);
    CHECK(seen[0].remote.rfind("127.0.0.1:", 0) == 0);
    CHECK(seen[1].method == "GET");
    CHECK(seen[1].body.empty());
}

TEST_CASE("HEAD gets the headers of a GET and no body", "[server]") {
    Served s({}, ok);
    const std::string head =
        run(s.ioc, raw_bytes(s.server.port(), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(head.find("Content-Length: 11\r\n") != std::string::npos);
    CHECK(head.size() >= 4);
    CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
}

TEST_CASE("keep-alive: two requests on one connection", "[server]") {
    Served s({}, ok);
    const auto replies =
        run(s.ioc,
            raw_sequence(
                s.server.port(),
                {"GET /a HTTP/1.1\r\nHost: x\r\n\r\n", "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"}
            ));
    REQUIRE(replies.size() == 2);
    CHECK(replies[1].result_int() == 200);
    CHECK(replies[1][bhttp::field::connection] == "keep-alive");
    const auto stats = s.server.stats();
    CHECK(stats.connections_total == 1);
    CHECK(stats.connections_open == 1);
    CHECK(stats.requests == 2);
}

TEST_CASE("a body over the limit gets 413 and a close; exactly the limit is fine", "[server]") {
    constexpr std::size_t kLimit = std::size_t{1} << 20;
    ServerOptions options;
    options.max_body_bytes = kLimit;
    std::size_t handled_bytes = 0;
    Served s(options, [&handled_bytes](const ServerRequest& r) {
        handled_bytes = r.body.size();
        return reply(200, "{}");
    });
    Client client(s.ioc.get_executor(), {});

    Request big = request("POST", s.url("/slack/events"));
    big.body.assign(10 * kLimit, 'x');
    const Outcome refused = s.send(client, big);
    INFO(refused.detail);
    REQUIRE(refused.ok());
    CHECK(refused.response.status == 413);
    CHECK(refused.response.body == R"({"error":"body too large"})");
    CHECK(refused.response.header("connection") == "close");
    CHECK(handled_bytes == 0);

    const RawReply r = raw(
        s,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(10 * kLimit) + "\r\n\r\n"
    );
    CHECK(r.response.result_int() == 413);
    CHECK(r.closed_after);

    Request exact = request("POST", s.url("/slack/events"));
    exact.body.assign(kLimit, 'y');
    const Outcome accepted = s.send(client, exact);
    REQUIRE(accepted.ok());
    CHECK(accepted.response.status == 200);
    CHECK(handled_bytes == kLimit);
    CHECK(s.server.stats().requests == 1);
}

TEST_CASE("oversized headers get 431 and a close", "[server]") {
    ServerOptions options;
    options.max_header_bytes = 1024;
    Served s(options, ok);
    const RawReply r =
        raw(s, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
    REQUIRE_FALSE(r.read_error);
    CHECK(r.response.result_int() == 431);
    CHECK(r.closed_after);
    CHECK(s.server.stats().requests == 0);
}

TEST_CASE("a malformed request line gets 400 and a close", "[server]") {
    Served s({}, ok);
    const RawReply r = raw(s, "this is not http\r\n\r\n");
    REQUIRE_FALSE(r.read_error);
    CHECK(r.response.result_int() == 400);
    CHECK(r.response.body() == R"({"error":"bad request"})");
    CHECK(r.closed_after);
}

namespace {

struct Timed {
    error_code end;
    milliseconds elapsed{};
};

// Half a request, then silence, until the server gives up.
asio::awaitable<Timed> send_partial_then_wait(unsigned short port) {
    const auto start = Clock::now();
    tcp::socket socket = co_await connect(port);
    const std::string partial = "POST / HTTP/1.1\r\nHost: x\r\n";
    co_await asio::async_write(socket, asio::buffer(partial), asio::use_awaitable);
    std::string received;
    Timed out;
    out.end = co_await read_until_closed(socket, &received);
    out.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    co_return out;
}

// One header byte every 20 ms: never idle for long, yet never done.
asio::awaitable<Timed> drip_until_closed(unsigned short port) {
    const auto start = Clock::now();
    tcp::socket socket = co_await connect(port);
    const std::string bytes = "GET / HTTP/1.1\r\nX-Slow: " + std::string(200, 'a');
    Timed out;
    for (const char c : bytes) {
        co_await pause(milliseconds{20});
        co_await asio::async_write(
            socket, asio::buffer(&c, 1), asio::redirect_error(asio::use_awaitable, out.end)
        );
        if (out.end) break;
        char probe = 0;
        socket.non_blocking(true);
        socket.read_some(asio::buffer(&probe, 1), out.end);
        socket.non_blocking(false);
        if (out.end != asio::error::would_block) break;
    }
    out.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    co_return out;
}

// One full request, its response, then how long until the server closes the idle connection.
asio::awaitable<Timed> request_then_idle(unsigned short port) {
    tcp::socket socket = co_await connect(port);
    const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(get), asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(socket, buffer, response, asio::use_awaitable);
    REQUIRE(response.keep_alive());
    const auto answered = Clock::now();
    Timed out;
    out.end = co_await read_until_closed(socket, nullptr);
    out.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - answered);
    co_return out;
}

}  // namespace

TEST_CASE("a slow client is cut off after read_timeout", "[server]") {
    ServerOptions options;
    options.read_timeout = milliseconds{100};
    options.idle_timeout = milliseconds{5000};
    Served s(options, ok);

    const Timed silent = run(s.ioc, send_partial_then_wait(s.server.port()));
    CHECK(closed_by_peer(silent.end));
    CHECK(silent.elapsed >= milliseconds{100});
    CHECK(silent.elapsed < milliseconds{1000});

    // The deadline covers the whole request, not each read.
    const Timed drip = run(s.ioc, drip_until_closed(s.server.port()));
    INFO(drip.end.message());
    CHECK(drip.end != asio::error::would_block);
    CHECK(drip.elapsed >= milliseconds{100});
    CHECK(drip.elapsed < milliseconds{1000});
    CHECK(s.server.stats().requests == 0);
}

TEST_CASE("an idle keep-alive connection is closed after idle_timeout", "[server]") {
    ServerOptions options;
    options.read_timeout = milliseconds{5000};
    options.idle_timeout = milliseconds{100};
    Served s(options, ok);
    const Timed idle = run(s.ioc, request_then_idle(s.server.port()));
    CHECK(closed_by_peer(idle.end));
    CHECK(idle.elapsed >= milliseconds{90});
    CHECK(idle.elapsed < milliseconds{1000});
    CHECK(s.server.stats().requests == 1);
}

namespace {

struct Crowd {
    error_code third_end;
    int first_status = 0;
};

// Two connections held open, a third one that must be closed at once, then the first is served.
asio::awaitable<Crowd> three_connections(unsigned short port) {
    tcp::socket first = co_await connect(port);
    tcp::socket second = co_await connect(port);
    tcp::socket third = co_await connect(port);
    Crowd out;
    out.third_end = co_await read_until_closed(third, nullptr);
    const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(first, asio::buffer(get), asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(first, buffer, response, asio::use_awaitable);
    out.first_status = static_cast<int>(response.result_int());
    co_return out;
}

}  // namespace

TEST_CASE("beyond max_connections a connection is closed at once", "[server]") {
    ServerOptions options;
    options.max_connections = 2;
    Served s(options, ok);
    const Crowd crowd = run(s.ioc, three_connections(s.server.port()));
    CHECK(closed_by_peer(crowd.third_end));
    CHECK(crowd.first_status == 200);
    const auto stats = s.server.stats();
    CHECK(stats.connections_refused == 1);
    CHECK(stats.connections_total == 2);
    CHECK(stats.connections_open == 2);
}

TEST_CASE(
    "a throwing handler gets 500, is logged without secrets, the server goes on", "[server]"
) {
    LogCapture logs;
    Served s({}, [](const ServerRequest& r) {
        if (r.path() == "/boom") throw std::runtime_error("kaboom");
        return reply(200, "fine");
    });
    const auto replies =
        run(s.ioc,
            raw_sequence(
                s.server.port(),
                {"POST /boom?token=SECRET-QUERY HTTP/1.1\r\nHost: x\r\n"
                 "Authorization: Bearer SECRET-TOKEN\r\nContent-Length: 11\r\n\r\nSECRET-BODY",
                 "GET /fine HTTP/1.1\r\nHost: x\r\n\r\n"}
            ));
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].result_int() == 500);
    CHECK(replies[0].body() == R"({"error":"internal error"})");
    CHECK(replies[0][bhttp::field::content_type] == "application/json");
    CHECK(replies[1].result_int() == 200);
    CHECK(replies[1].body() == "fine");
    CHECK(s.server.stats().connections_total == 1);

    REQUIRE(logs.lines.size() == 1);
    CHECK(logs.lines[0].find("/boom") != std::string::npos);
    CHECK(logs.lines[0].find("kaboom") != std::string::npos);
    CHECK(logs.lines[0].find("SECRET") == std::string::npos);
}

TEST_CASE("a handler response that cannot be sent becomes a 500", "[server]") {
    LogCapture logs;
    Served s({}, [](const ServerRequest&) {
        ServerResponse out = reply(200, "{}");
        out.headers = {{"X-Split", "a\r\nSet-Cookie: evil=1"}};
        return out;
    });
    const RawReply r = raw(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(r.response.result_int() == 500);
    CHECK(r.response.find("Set-Cookie") == r.response.end());
    CHECK(r.closed_after);
    CHECK(logs.lines.size() == 1);
}

namespace {

ServerOptions tls_in_memory() {
    const auto& leaf = nra::test::test_pki().leaf("127.0.0.1");
    ServerOptions options;
    options.tls_cert_pem = leaf.cert_pem;
    options.tls_key_pem = leaf.key_pem;
    return options;
}

ClientOptions trusting_test_ca() {
    ClientOptions options;
    options.ca_pem = nra::test::test_pki().ca_pem;
    return options;
}

// The leaf certificate and key as files, removed at the end of the test.
struct TlsFiles {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("nra-http-server-test-" + std::to_string(::getpid()));
    std::string cert = (dir / "cert.pem").string();
    std::string key = (dir / "key.pem").string();

    TlsFiles() {
        std::filesystem::create_directories(dir);
        const auto& leaf = nra::test::test_pki().leaf("127.0.0.1");
        std::ofstream(cert) << leaf.cert_pem;
        std::ofstream(key) << leaf.key_pem;
    }
    ~TlsFiles() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    TlsFiles(const TlsFiles&) = delete;
    TlsFiles& operator=(const TlsFiles&) = delete;
};

}  // namespace

TEST_CASE("TLS round trip with an in-memory certificate", "[server][tls]") {
    Served s(tls_in_memory(), ok);
    Client client(s.ioc.get_executor(), trusting_test_ca());
    for (int i = 0; i < 2; ++i) {
        const Outcome outcome = s.send(client, request("GET", s.url("/secure", "https")));
        INFO(outcome.detail);
        REQUIRE(outcome.ok());
        CHECK(outcome.response.body == R"({"ok":true})");
    }
    CHECK(s.server.stats().connections_total == 1);
}

TEST_CASE(
    "TLS with certificate and key files; untrusted clients fail the handshake", "[server][tls]"
) {
    const TlsFiles files;
    ServerOptions options;
    options.tls_cert_file = files.cert;
    options.tls_key_file = files.key;
    Served s(options, ok);
    Client trusting(s.ioc.get_executor(), trusting_test_ca());
    const Outcome outcome = s.send(trusting, request("POST", s.url("/files", "https")));
    INFO(outcome.detail);
    CHECK(outcome.ok());

    Client untrusting(s.ioc.get_executor(), {});
    const Outcome refused = s.send(untrusting, request("GET", s.url("/", "https")));
    CHECK(refused.failure == nra::http::Failure::tls);
    CHECK(s.server.stats().requests == 1);
}

TEST_CASE("plain HTTP to a TLS server is dropped without a request", "[server][tls]") {
    Served s(tls_in_memory(), ok);
    const RawReply r = raw(s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(r.read_error);
    CHECK(s.server.stats().requests == 0);
}

namespace {

struct StopOutcome {
    int status = 0;
    std::string connection;
    std::string body;
    error_code busy_end;
    error_code idle_end;
    error_code reconnect;
    milliseconds stopped_after{};
};

// An idle connection and one with a request whose handler asks the server to stop.
asio::awaitable<StopOutcome> request_that_stops(HttpServer* server, unsigned short port) {
    tcp::socket idle = co_await connect(port);
    tcp::socket busy = co_await connect(port);
    const std::string get = "GET /work HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(busy, asio::buffer(get), asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(busy, buffer, response, asio::use_awaitable);
    StopOutcome out;
    out.status = static_cast<int>(response.result_int());
    out.connection = std::string(response[bhttp::field::connection]);
    out.body = response.body();
    out.busy_end = co_await read_until_closed(busy, nullptr);
    out.idle_end = co_await read_until_closed(idle, nullptr);
    busy.close();
    tcp::socket fresh(co_await asio::this_coro::executor);
    co_await fresh.async_connect(
        {asio::ip::make_address("127.0.0.1"), port},
        asio::redirect_error(asio::use_awaitable, out.reconnect)
    );
    const auto start = Clock::now();
    co_await server->stopped(milliseconds{1000});
    out.stopped_after = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    co_return out;
}

void check_graceful(const StopOutcome& out, const HttpServer& server) {
    CHECK(out.status == 200);
    CHECK(out.body == "done");
    CHECK(closed_by_peer(out.busy_end));
    CHECK(closed_by_peer(out.idle_end));
    CHECK(out.reconnect == asio::error::connection_refused);
    CHECK(out.stopped_after < milliseconds{500});
    CHECK(server.stats().connections_open == 0);
    CHECK(server.stats().requests == 1);
}

}  // namespace

TEST_CASE(
    "graceful stop posted from a handler: the request in flight is answered", "[server][stop]"
) {
    asio::io_context* loop = nullptr;
    HttpServer* server = nullptr;
    Served s({}, [&loop, &server](const ServerRequest&) {
        asio::post(*loop, [&server] { server->stop(); });
        return reply(200, "done");
    });
    loop = &s.ioc;
    server = &s.server;
    const StopOutcome out = run(s.ioc, request_that_stops(server, s.server.port()));
    check_graceful(out, s.server);
    s.server.stop();  // twice is fine
}

TEST_CASE("stop() during a request: the answer says Connection: close", "[server][stop]") {
    HttpServer* server = nullptr;
    Served s({}, [&server](const ServerRequest&) {
        server->stop();
        return reply(200, "done");
    });
    server = &s.server;
    const StopOutcome out = run(s.ioc, request_that_stops(server, s.server.port()));
    check_graceful(out, s.server);
    CHECK(out.connection == "close");
}

namespace {

struct Abandoned {
    milliseconds stopped_after{};
    error_code end;
    std::size_t received = 0;
};

// The client never reads a large response, so the server's write cannot finish: stopped() has
// to close the connection at its deadline.
asio::awaitable<Abandoned> stop_while_writing(
    HttpServer* server, unsigned short port, Signal* handled
) {
    tcp::socket socket = co_await connect(port);
    const std::string get = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(get), asio::use_awaitable);
    co_await wait_for(*handled);
    const auto start = Clock::now();
    co_await server->stopped(milliseconds{100});
    Abandoned out;
    out.stopped_after = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::string received;
    out.end = co_await read_until_closed(socket, &received);
    out.received = received.size();
    co_return out;
}

}  // namespace

TEST_CASE("stopped() closes what is left at its deadline", "[server][stop]") {
    constexpr std::size_t kBig = std::size_t{32} << 20;
    Signal* handled = nullptr;
    Served s({}, [&handled](const ServerRequest&) {
        handled->fire();
        return reply(200, std::string(kBig, 'z'));
    });
    Signal signal(s.ioc);
    handled = &signal;
    const Abandoned out = run(s.ioc, stop_while_writing(&s.server, s.server.port(), handled));
    CHECK(out.stopped_after >= milliseconds{90});
    CHECK(out.stopped_after < milliseconds{600});
    CHECK(closed_by_peer(out.end));
    CHECK(out.received < kBig);
    CHECK(s.server.stats().connections_open == 0);
}

TEST_CASE("start() errors name the TLS file or the address", "[server][start]") {
    asio::io_context ioc;
    SECTION("missing certificate file") {
        ServerOptions options = loopback();
        options.tls_cert_file = "/nonexistent/nra/cert.pem";
        options.tls_key_file = "/nonexistent/nra/key.pem";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_AS(server.start(), std::runtime_error);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("/nonexistent/nra/cert.pem"));
    }
    SECTION("missing key file") {
        const TlsFiles files;
        ServerOptions options = loopback();
        options.tls_cert_file = files.cert;
        options.tls_key_file = files.key + ".missing";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains(files.key + ".missing"));
    }
    SECTION("a certificate without a key") {
        ServerOptions options = loopback();
        options.tls_cert_pem = tls_in_memory().tls_cert_pem;
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("both a certificate and a key"));
    }
    SECTION("a key that is not PEM") {
        ServerOptions options = tls_in_memory();
        options.address = "127.0.0.1";
        options.port = 0;
        options.tls_key_pem = "not a key";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("TLS key"));
    }
    SECTION("port in use") {
        HttpServer first(ioc.get_executor(), loopback(), ok);
        const unsigned short port = first.start();
        ServerOptions options = loopback();
        options.port = port;
        HttpServer second(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(second.start(), Catch::Contains("127.0.0.1:" + std::to_string(port)));
    }
    SECTION("bad address") {
        ServerOptions options = loopback();
        options.address = "not-an-ip";
        HttpServer server(ioc.get_executor(), options, ok);
        CHECK_THROWS_WITH(server.start(), Catch::Contains("not-an-ip"));
    }
}
