// The HTTP/1.1 server: round trips, keep-alive, limits (413, 431, 400, slow and idle clients,
// connection count; more in http_server_limits_test) and handler failures. Server and client
// share one io_context.
#include "http_server_helpers.hpp"

namespace http_server_test {

using namespace server_test;  // NOLINT(google-build-using-namespace): test helpers
TEST_CASE("ServerRequest::header is case-insensitive, path() drops the query", "[server]") {
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

TEST_CASE("a body over the limit gets 413 and a close, exactly the limit is fine", "[server]") {
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

TEST_CASE("an idle keep-alive connection is closed after its idle timeout", "[server]") {
    ServerOptions options;
    options.read_timeout = milliseconds{5000};
    options.idle_timeout = std::chrono::hours(1);  // after requests a route vouched for
    options.unauthenticated_idle_timeout = milliseconds{100};
    Served s(options, ok);
    const Timed idle = run(s.ioc, request_then_idle(s.server.port()));
    CHECK(closed_by_peer(idle.end));
    CHECK(idle.elapsed >= milliseconds{90});
    CHECK(idle.elapsed < milliseconds{1000});
    CHECK(s.server.stats().requests == 1);
}

namespace {

struct Crowd {
    error_code first_end;
    int third_status = 0;
};

// Two connections held open without a byte, a third one that takes the first one's place and
// is served.
asio::awaitable<Crowd> three_connections(unsigned short port) {
    tcp::socket first = co_await connect(port);
    tcp::socket second = co_await connect(port);
    tcp::socket third = co_await connect(port);
    Crowd out;
    out.first_end = co_await read_until_closed(first, nullptr);
    const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    co_await asio::async_write(third, asio::buffer(get), asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    co_await bhttp::async_read(third, buffer, response, asio::use_awaitable);
    out.third_status = static_cast<int>(response.result_int());
    co_return out;
}

}  // namespace

TEST_CASE("at max_connections a connection that never sent a byte gives way", "[server]") {
    ServerOptions options;
    options.max_connections = 2;
    Served s(options, ok);
    const Crowd crowd = run(s.ioc, three_connections(s.server.port()));
    CHECK(closed_by_peer(crowd.first_end));
    CHECK(crowd.third_status == 200);
    const auto stats = s.server.stats();
    CHECK(stats.connections_refused == 0);
    CHECK(stats.connections_shed == 1);
    CHECK(stats.connections_total == 3);
}

TEST_CASE(
    "a throwing handler gets 500, is logged without secrets, the server goes on", "[server]"
) {
    nra::test::LogCapture logs(nra::log::Level::warn);
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

    REQUIRE(logs.lines().size() == 1);
    CHECK(logs.lines()[0].find("/boom") != std::string::npos);
    CHECK(logs.lines()[0].find("kaboom") != std::string::npos);
    CHECK(logs.lines()[0].find("SECRET") == std::string::npos);
}

TEST_CASE("a handler response that cannot be sent becomes a 500", "[server]") {
    nra::test::LogCapture logs(nra::log::Level::warn);
    Served s({}, [](const ServerRequest&) {
        ServerResponse out = reply(200, "{}");
        out.headers = {{"X-Split", "a\r\nSet-Cookie: evil=1"}};
        return out;
    });
    const RawReply r = raw(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(r.response.result_int() == 500);
    CHECK(r.response.find("Set-Cookie") == r.response.end());
    CHECK(r.closed_after);
    CHECK(logs.lines().size() == 1);
}

}  // namespace http_server_test
