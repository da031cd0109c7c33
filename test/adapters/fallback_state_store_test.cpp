// The fallback store keeps the bot answering through a Redis outage: one warning, local state
// while Redis is down (degraded, not shared), Redis again after the retry interval once it
// answers, one "Redis is back" line, and never an exception or the password in a log.
#include "state/fallback_state_store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "support/log_capture.hpp"
#include "support/redis_server.hpp"
#include "support/run_async.hpp"

namespace fallback_state_store_test {

using namespace nra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using nra::test::LogCapture;
using nra::test::RedisServer;
using nra::test::run_blocking;
using TimePoint = std::chrono::steady_clock::time_point;

namespace {

constexpr const char* kPassword = "fallback-secret-9";

redis::RedisEndpoint endpoint_of(const std::string& url) {
    auto parsed = redis::parse_redis_url(url);
    REQUIRE(parsed.ok());
    return *parsed;
}

std::size_t count_lines(const LogCapture& logs, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& line : logs.lines()) n += line.find(needle) != std::string::npos ? 1 : 0;
    return n;
}

struct Harness {
    explicit Harness(const std::string& url) {
        redis::RedisOptions options;
        options.connect_timeout = 300ms;
        options.command_timeout = 300ms;
        connection =
            std::make_unique<redis::RedisConnection>(ioc.get_executor(), endpoint_of(url), options);
        state::FallbackOptions fallback;
        fallback.retry_interval = 5s;
        fallback.now = [this] { return now; };
        store = std::make_unique<state::FallbackStateStore>(
            std::make_unique<redis::RedisStateStore>(*connection, "t:"),
            std::make_unique<state::MemoryStateStore>(),
            fallback
        );
    }

    TimePoint now{std::chrono::seconds(1000)};
    asio::io_context ioc;
    std::unique_ptr<redis::RedisConnection> connection;
    std::unique_ptr<state::FallbackStateStore> store;
};

}  // namespace

TEST_CASE("fallback: Redis healthy, calls go to Redis and state is shared") {
    RedisServer server(kPassword);
    Harness h(server.url());
    CHECK(run_blocking(h.ioc, h.store->claim("event:E1", "a", 60s)));
    CHECK_FALSE(run_blocking(h.ioc, h.store->claim("event:E1", "b", 60s)));
    // Another replica on the same Redis sees it: the claim is in Redis, not in memory.
    asio::io_context other_ioc;
    redis::RedisConnection other(other_ioc.get_executor(), endpoint_of(server.url()));
    redis::RedisStateStore replica(other, "t:");
    CHECK(run_blocking(other_ioc, replica.get("event:E1")) == "a");
    const auto health = h.store->health();
    CHECK(health.backend == "redis");
    CHECK(health.shared);
    CHECK_FALSE(health.degraded);
    CHECK(health.detail.find(kPassword) == std::string::npos);
}

TEST_CASE("fallback: an outage is served from memory with one warning, then Redis is back") {
    LogCapture logs;
    RedisServer server(kPassword);
    Harness h(server.url());
    REQUIRE(run_blocking(h.ioc, h.store->claim("event:E1", "a", 60s)));

    server.kill();
    CHECK(run_blocking(h.ioc, h.store->claim("event:E2", "a", 60s)));  // from memory
    CHECK_FALSE(run_blocking(h.ioc, h.store->claim("event:E2", "b", 60s)));
    CHECK(run_blocking(h.ioc, h.store->increment("rate:U1", 60s)) == 1);
    CHECK(run_blocking(h.ioc, h.store->increment("rate:U1", 60s)) == 2);
    run_blocking(h.ioc, h.store->put("cache", "local", 0ms));
    CHECK(run_blocking(h.ioc, h.store->get("cache")) == "local");
    auto health = h.store->health();
    CHECK(health.degraded);
    CHECK_FALSE(health.shared);
    CHECK(health.detail.find("127.0.0.1:" + std::to_string(server.port())) != std::string::npos);

    // Still down when the retry is due: the probe fails quietly.
    h.now += 6s;
    CHECK(run_blocking(h.ioc, h.store->get("cache")) == "local");
    CHECK(h.store->health().degraded);

    // Back up, but the next retry is not due yet: still local.
    server.restart();
    h.now += 1s;
    CHECK(run_blocking(h.ioc, h.store->get("cache")) == "local");
    CHECK(h.store->health().degraded);

    // Due: Redis answers (a fresh, empty Redis), and the store is shared again.
    h.now += 5s;
    CHECK_FALSE(run_blocking(h.ioc, h.store->get("cache")).has_value());
    health = h.store->health();
    CHECK_FALSE(health.degraded);
    CHECK(health.shared);
    CHECK(run_blocking(h.ioc, h.store->claim("event:E2", "a", 60s)));  // Redis never saw it

    CHECK(count_lines(logs, "is unreachable") == 1);
    CHECK(count_lines(logs, "Redis is back") == 1);
    CHECK(logs.mentions("redis://***@127.0.0.1:" + std::to_string(server.port()) + "/0"));
    CHECK_FALSE(logs.mentions(kPassword));
}

TEST_CASE("fallback: a hung Redis costs one bounded call, then memory answers at once") {
    LogCapture logs;
    asio::io_context listener_ioc;
    asio::ip::tcp::acceptor black_hole(listener_ioc, {asio::ip::make_address("127.0.0.1"), 0});
    Harness h("redis://127.0.0.1:" + std::to_string(black_hole.local_endpoint().port()));
    const auto start = std::chrono::steady_clock::now();
    CHECK(run_blocking(h.ioc, h.store->claim("event:E1", "a", 60s)));
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(h.store->health().degraded);
    const auto second = std::chrono::steady_clock::now();
    CHECK_FALSE(run_blocking(h.ioc, h.store->claim("event:E1", "b", 60s)));
    CHECK(std::chrono::steady_clock::now() - second < 100ms);  // no Redis attempt
    CHECK(count_lines(logs, "is unreachable") == 1);
    CHECK(logs.mentions("timed out"));
}

TEST_CASE("fallback: Redis refusing one call does not mark it down") {
    LogCapture logs;
    RedisServer server;
    Harness h(server.url());
    run_blocking(h.ioc, h.store->put("rate:U9", "not-a-number", 60s));
    // INCR on a non-integer: Redis says ERR; the call is answered locally, Redis stays in use.
    CHECK(run_blocking(h.ioc, h.store->increment("rate:U9", 60s)) == 1);
    CHECK_FALSE(h.store->health().degraded);
    CHECK(run_blocking(h.ioc, h.store->get("rate:U9")) == "not-a-number");  // from Redis
    CHECK(count_lines(logs, "refused increment") == 1);
    CHECK(count_lines(logs, "is unreachable") == 0);
}

}  // namespace fallback_state_store_test
