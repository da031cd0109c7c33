// The HTTP server at its connection cap: idle keep-alive connections make room for new
// clients, those no route vouched for first, then the longest idle; when none is idle a new
// connection is refused, counted in /metrics and logged at most once per interval. Connections
// no route vouched for get the short keep-alive. Server and client share one io_context.
#include "http_server_helpers.hpp"
#include "obs/metrics.hpp"
#include "support/raw_http.hpp"

namespace http_server_limits_test {

using namespace server_test;  // NOLINT(google-build-using-namespace): test helpers

namespace {

constexpr std::size_t kCap = 8;
const std::string kGet = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

double counter(const char* name) {
    return nra::obs::registry().counter_value(name, {});
}

// Writes `bytes` and reads one response: its status, or 0 when the server closed instead.
asio::awaitable<int> exchange(tcp::socket& socket, std::string bytes) {
    return nra::test::raw_exchange_status(socket, std::move(bytes));
}

struct Shedding {
    int newcomer = 0;             // the new client's answer
    error_code oldest_end;        // how the longest idle connection ended
    std::vector<int> the_others;  // a second request on each of the other idle connections
};

// Fills the cap with keep-alive connections that asked for /healthz once and went quiet, then
// a new client asks too.
asio::awaitable<Shedding> fill_with_idle_then_ask(unsigned short port) {
    std::vector<tcp::socket> idle;
    for (std::size_t i = 0; i < kCap; ++i) {
        idle.push_back(co_await connect(port));
        const int status = co_await exchange(idle.back(), kGet);
        REQUIRE(status == 200);
    }
    Shedding out;
    tcp::socket newcomer = co_await connect(port);
    out.newcomer = co_await exchange(newcomer, kGet);
    if (out.newcomer == 0) co_return out;  // refused: nothing else to see
    out.oldest_end = co_await read_until_closed(idle.front(), nullptr);
    for (std::size_t i = 1; i < kCap; ++i)
        out.the_others.push_back(co_await exchange(idle[i], kGet));
    co_return out;
}

// Fills the cap with connections in the middle of a request (one answered, the next one half
// sent, in one write), then opens `extra` more.
asio::awaitable<std::vector<error_code>> fill_with_busy_then_connect(
    unsigned short port, std::size_t extra
) {
    const std::string pipelined = kGet + "GET /half HTTP/1.1\r\nHost: x\r\n";
    std::vector<tcp::socket> busy;
    for (std::size_t i = 0; i < kCap; ++i) {
        busy.push_back(co_await connect(port));
        const int status = co_await exchange(busy.back(), pipelined);
        REQUIRE(status == 200);
    }
    std::vector<error_code> ends;
    for (std::size_t i = 0; i < extra; ++i) {
        tcp::socket late = co_await connect(port);
        ends.push_back(co_await read_until_closed(late, nullptr));
    }
    co_return ends;
}

const std::string kSigned = "GET /signed HTTP/1.1\r\nHost: x\r\n\r\n";

// The route vouches for requests to /signed (as the Slack endpoint does for a valid signature).
ServerResponse vouching(const ServerRequest& request) {
    ServerResponse out = reply(200, "{}");
    out.authenticated = request.path() == "/signed";
    return out;
}

struct Vouched {
    error_code plain_end;  // how the oldest connection no route vouched for ended
    int vouched = 0;       // a second request on the oldest connection, which was vouched for
    int newcomer = 0;
};

// The oldest connection is vouched for, the others are not; then a new client at the cap.
asio::awaitable<Vouched> fill_vouched_first_then_ask(unsigned short port) {
    std::vector<tcp::socket> idle;
    for (std::size_t i = 0; i < kCap; ++i) {
        idle.push_back(co_await connect(port));
        const int status = co_await exchange(idle.back(), i == 0 ? kSigned : kGet);
        REQUIRE(status == 200);
    }
    Vouched out;
    tcp::socket newcomer = co_await connect(port);
    out.newcomer = co_await exchange(newcomer, kGet);
    out.plain_end = co_await read_until_closed(idle[1], nullptr);
    out.vouched = co_await exchange(idle[0], kGet);
    co_return out;
}

// A vouched-for connection, then one that is not: the second is closed after the short
// keep-alive while the first, idle for longer, still answers.
asio::awaitable<int> vouched_outlives_plain(unsigned short port) {
    tcp::socket vouched = co_await connect(port);
    const int first = co_await exchange(vouched, kSigned);
    REQUIRE(first == 200);
    tcp::socket plain = co_await connect(port);
    const int second = co_await exchange(plain, kGet);
    REQUIRE(second == 200);
    const error_code end = co_await read_until_closed(plain, nullptr);
    REQUIRE(closed_by_peer(end));
    const int again = co_await exchange(vouched, kGet);
    co_return again;
}

}  // namespace

TEST_CASE("at the cap, the longest idle keep-alive connection makes room for a new client") {
    ServerOptions options;
    options.max_connections = kCap;
    Served s(options, ok);
    const double shed_before = counter("nra_connections_shed_total");
    const Shedding result = run(s.ioc, fill_with_idle_then_ask(s.server.port()));
    REQUIRE(result.newcomer == 200);
    CHECK(closed_by_peer(result.oldest_end));
    CHECK(result.the_others == std::vector<int>(kCap - 1, 200));
    const auto stats = s.server.stats();
    CHECK(stats.connections_refused == 0);
    CHECK(stats.connections_total == kCap + 1);
    CHECK(counter("nra_connections_shed_total") - shed_before == 1);
}

TEST_CASE("at the cap with no idle connection, new ones are refused, counted and logged once") {
    nra::test::LogCapture logs(nra::log::Level::info);
    ServerOptions options;
    options.max_connections = kCap;
    Served s(options, ok);
    const double refused_before = counter("nra_connections_refused_total");
    const auto ends = run(s.ioc, fill_with_busy_then_connect(s.server.port(), 3));
    REQUIRE(ends.size() == 3);
    for (const auto& end : ends) CHECK(closed_by_peer(end));
    CHECK(s.server.stats().connections_refused == 3);
    CHECK(counter("nra_connections_refused_total") - refused_before == 3);
    std::size_t lines = 0;
    for (const auto& line : logs.lines()) {
        if (line.find("refused a connection") != std::string::npos) ++lines;
    }
    CHECK(lines == 1);
    INFO(logs.text());
    CHECK(logs.mentions("127.0.0.1"));
}

TEST_CASE("at the cap, connections a route vouched for are shed after the others") {
    ServerOptions options;
    options.max_connections = kCap;
    Served s(options, vouching);
    const Vouched result = run(s.ioc, fill_vouched_first_then_ask(s.server.port()));
    CHECK(result.newcomer == 200);
    CHECK(closed_by_peer(result.plain_end));
    CHECK(result.vouched == 200);
    CHECK(s.server.stats().connections_shed == 1);
}

TEST_CASE("a connection no route vouched for gets the short keep-alive") {
    ServerOptions options;
    options.idle_timeout = std::chrono::hours(1);
    options.unauthenticated_idle_timeout = milliseconds{50};
    Served s(options, vouching);
    CHECK(run(s.ioc, vouched_outlives_plain(s.server.port())) == 200);
}

}  // namespace http_server_limits_test
