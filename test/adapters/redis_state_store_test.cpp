// The Redis StateStore and its connection against a real redis-server on 127.0.0.1: claims,
// expiry, counters, two replicas sharing one Redis, AUTH, and a hung or absent Redis ending in a
// value within the deadline.
#include "redis/redis_state_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "support/redis_server.hpp"
#include "support/run_async.hpp"

namespace redis_state_store_test {

using namespace nra;
using namespace nra::redis;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using nra::test::RedisServer;
using nra::test::run_blocking;

namespace {

RedisEndpoint endpoint_of(const std::string& url) {
    auto parsed = parse_redis_url(url);
    REQUIRE(parsed.ok());
    return *parsed;
}

struct Harness {
    RedisServer server;
    asio::io_context ioc;
    RedisConnection connection{ioc.get_executor(), endpoint_of(server.url())};
    RedisStateStore store{connection, "t:"};

    RedisReply raw(std::vector<std::string> argv) {
        return run_blocking(ioc, connection.command(std::move(argv)));
    }
    // Polls get() until the key is gone; false if it is still there after `limit`.
    bool wait_until_gone(const std::string& key, std::chrono::milliseconds limit = 5000ms) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (!run_blocking(ioc, store.get(key))) return true;
            std::this_thread::sleep_for(10ms);  // between polls, not as the synchronisation
        }
        return false;
    }
};

}  // namespace

TEST_CASE("redis store: a claim succeeds once, and its value is readable") {
    Harness h;
    CHECK(run_blocking(h.ioc, h.store.claim("event:Ev1", "replica-a", 60s)));
    CHECK_FALSE(run_blocking(h.ioc, h.store.claim("event:Ev1", "replica-b", 60s)));
    CHECK(run_blocking(h.ioc, h.store.get("event:Ev1")) == "replica-a");
    // Keys carry the prefix in Redis.
    const auto raw = h.raw({"GET", "t:event:Ev1"});
    CHECK(raw.kind == RedisReply::Kind::string);
    CHECK(raw.text == "replica-a");
    const auto ttl = h.raw({"PTTL", "t:event:Ev1"});
    CHECK(ttl.integer > 50'000);
    CHECK(ttl.integer <= 60'000);
}

TEST_CASE("redis store: a claim expires after its ttl and can be made again") {
    Harness h;
    REQUIRE(run_blocking(h.ioc, h.store.claim("lock", "a", 100ms)));
    CHECK_FALSE(run_blocking(h.ioc, h.store.claim("lock", "b", 100ms)));
    CHECK(h.wait_until_gone("lock"));
    CHECK(run_blocking(h.ioc, h.store.claim("lock", "c", 100ms)));
}

TEST_CASE("redis store: put, get and remove, binary-safe") {
    Harness h;
    const std::string value = std::string("line1\r\nline2 \0 end", 19);
    run_blocking(h.ioc, h.store.put("summary:abc", value, 0ms));
    CHECK(run_blocking(h.ioc, h.store.get("summary:abc")) == value);
    CHECK(h.raw({"PTTL", "t:summary:abc"}).integer == -1);  // ttl 0: no expiry
    run_blocking(h.ioc, h.store.put("summary:abc", "v2", 30s));
    CHECK(run_blocking(h.ioc, h.store.get("summary:abc")) == "v2");
    CHECK(h.raw({"PTTL", "t:summary:abc"}).integer > 0);
    run_blocking(h.ioc, h.store.remove("summary:abc"));
    CHECK_FALSE(run_blocking(h.ioc, h.store.get("summary:abc")).has_value());
    run_blocking(h.ioc, h.store.remove("never-there"));  // not an error
    CHECK_FALSE(run_blocking(h.ioc, h.store.get("missing")).has_value());
}

TEST_CASE("redis store: a put with a short ttl expires") {
    Harness h;
    run_blocking(h.ioc, h.store.put("cache", "x", 80ms));
    CHECK(h.raw({"PTTL", "t:cache"}).integer > 0);
    CHECK(h.wait_until_gone("cache"));
}

TEST_CASE("redis store: increment counts in a fixed window, then starts again") {
    Harness h;
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U1", 150ms)) == 1);
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U1", 150ms)) == 2);
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U1", 150ms)) == 3);
    const auto ttl = h.raw({"PTTL", "t:rate:U1"}).integer;
    CHECK(ttl > 0);
    CHECK(ttl <= 150);
    CHECK(h.wait_until_gone("rate:U1"));
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U1", 150ms)) == 1);
}

TEST_CASE("redis store: a counter that lost its expiry gets one again") {
    Harness h;
    REQUIRE(h.raw({"SET", "t:rate:U2", "5"}).kind == RedisReply::Kind::status);
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U2", 60s)) == 6);
    CHECK(h.raw({"PTTL", "t:rate:U2"}).integer > 0);
}

TEST_CASE("redis store: two replicas on one Redis see each other's claims") {
    Harness h;
    RedisConnection other_connection(h.ioc.get_executor(), endpoint_of(h.server.url()));
    RedisStateStore other(other_connection, "t:");
    CHECK(run_blocking(h.ioc, h.store.claim("event:Ev42", "replica-a", 60s)));
    CHECK_FALSE(run_blocking(h.ioc, other.claim("event:Ev42", "replica-b", 60s)));
    CHECK(run_blocking(h.ioc, other.get("event:Ev42")) == "replica-a");
    CHECK(run_blocking(h.ioc, other.increment("rate:U1", 60s)) == 1);
    CHECK(run_blocking(h.ioc, h.store.increment("rate:U1", 60s)) == 2);
    // A different prefix is a different namespace.
    RedisStateStore elsewhere(other_connection, "other:");
    CHECK(run_blocking(h.ioc, elsewhere.claim("event:Ev42", "replica-c", 60s)));
}

namespace {

struct CollectCount {
    std::multiset<std::int64_t>* counts;
    void operator()(const std::exception_ptr& error, std::int64_t count) const {
        if (!error) counts->insert(count);
    }
};

}  // namespace

TEST_CASE("redis connection: concurrent commands on one connection are answered in order") {
    Harness h;
    std::multiset<std::int64_t> counts;
    for (int i = 0; i < 20; ++i) {
        asio::co_spawn(h.ioc, h.store.increment("burst", 60s), CollectCount{&counts});
    }
    h.ioc.run();
    h.ioc.restart();
    REQUIRE(counts.size() == 20);
    std::int64_t expected = 1;
    for (const auto count : counts) CHECK(count == expected++);
    CHECK(h.connection.connects() == 1);
}

TEST_CASE("redis connection: a database number selects that database") {
    RedisServer server;
    asio::io_context ioc;
    RedisConnection db3(ioc.get_executor(), endpoint_of(server.url() + "/3"));
    RedisConnection db0(ioc.get_executor(), endpoint_of(server.url()));
    RedisStateStore in3(db3, "t:");
    RedisStateStore in0(db0, "t:");
    run_blocking(ioc, in3.put("k", "three", 0ms));
    CHECK(run_blocking(ioc, in3.get("k")) == "three");
    CHECK_FALSE(run_blocking(ioc, in0.get("k")).has_value());
}

TEST_CASE("redis connection: a restarted Redis is reconnected to without a failed call") {
    Harness h;
    CHECK(run_blocking(h.ioc, h.store.claim("before", "x", 60s)));
    h.server.restart();  // the pooled connection is dead now
    const auto attempt = run_blocking(h.ioc, h.store.try_get("before"));
    REQUIRE(attempt.ok());
    CHECK_FALSE(attempt.value->has_value());  // a fresh, empty Redis
    CHECK(h.connection.connects() == 2);
}

TEST_CASE("redis connection: AUTH with the right password works") {
    RedisServer server("s3cret-pass");
    asio::io_context ioc;
    RedisConnection connection(ioc.get_executor(), endpoint_of(server.url()));
    RedisStateStore store(connection, "t:");
    CHECK(run_blocking(ioc, store.claim("k", "v", 60s)));
    CHECK(run_blocking(ioc, store.get("k")) == "v");
}

TEST_CASE("redis connection: a wrong or missing password is a value without the password") {
    RedisServer server("s3cret-pass");
    asio::io_context ioc;
    const auto base = "redis://127.0.0.1:" + std::to_string(server.port());
    RedisConnection wrong(
        ioc.get_executor(),
        endpoint_of("redis://:not-the-pass@127.0.0.1:" + std::to_string(server.port()))
    );
    const auto refused = run_blocking(ioc, wrong.command({"PING"}));
    REQUIRE(refused.failed());
    CHECK(refused.failure == Failure::auth);
    CHECK(refused.text.find("AUTH refused") != std::string::npos);
    CHECK(refused.text.find("not-the-pass") == std::string::npos);
    CHECK_FALSE(wrong.connected());

    RedisStateStore store(wrong, "t:");
    const auto attempt = run_blocking(ioc, store.try_claim("k", "v", 60s));
    CHECK(attempt.trouble == Trouble::unavailable);
    CHECK(attempt.detail.find("not-the-pass") == std::string::npos);
    CHECK_THROWS_AS(run_blocking(ioc, store.claim("k", "v", 60s)), RedisUnavailable);
    CHECK(store.health().detail.find("not-the-pass") == std::string::npos);
    CHECK_FALSE(store.health().shared);

    // Without a password Redis answers NOAUTH: "cannot serve now", not "bad call".
    RedisConnection none(ioc.get_executor(), endpoint_of(base));
    RedisStateStore anonymous(none, "t:");
    const auto noauth = run_blocking(ioc, anonymous.try_get("k"));
    CHECK(noauth.trouble == Trouble::unavailable);
    CHECK(noauth.detail.rfind("NOAUTH", 0) == 0);
}

TEST_CASE("redis connection: nothing listening is a connect failure") {
    asio::io_context ioc;
    unsigned short port = 0;
    {
        asio::ip::tcp::acceptor closed(ioc, {asio::ip::make_address("127.0.0.1"), 0});
        port = closed.local_endpoint().port();
    }
    RedisConnection connection(
        ioc.get_executor(), endpoint_of("redis://127.0.0.1:" + std::to_string(port))
    );
    const auto reply = run_blocking(ioc, connection.command({"PING"}));
    REQUIRE(reply.failed());
    CHECK(reply.failure == Failure::connect);
    CHECK(reply.text.rfind("connect: ", 0) == 0);
}

TEST_CASE("redis connection: a Redis that never answers ends in a timeout within the deadline") {
    asio::io_context ioc;
    // Listening but never accepting: the kernel completes the handshake, nobody ever replies.
    asio::ip::tcp::acceptor black_hole(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    const auto url = "redis://127.0.0.1:" + std::to_string(black_hole.local_endpoint().port());
    RedisOptions options;
    options.connect_timeout = 200ms;
    options.command_timeout = 300ms;
    RedisConnection connection(ioc.get_executor(), endpoint_of(url), options);
    RedisStateStore store(connection, "t:");
    const auto start = std::chrono::steady_clock::now();
    const auto attempt = run_blocking(ioc, store.try_claim("k", "v", 60s));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(attempt.trouble == Trouble::unavailable);
    CHECK(attempt.detail.find("timed out") != std::string::npos);
    CHECK(took >= 250ms);
    CHECK(took < 2s);
    CHECK_FALSE(connection.connected());  // a late reply must not answer the next command

    // With a password the AUTH step is bounded by the connect timeout.
    RedisConnection with_auth(
        ioc.get_executor(), endpoint_of("redis://:pw@" + url.substr(8)), options
    );
    const auto again = std::chrono::steady_clock::now();
    const auto reply = run_blocking(ioc, with_auth.command({"PING"}));
    CHECK(reply.failure == Failure::timeout);
    CHECK(std::chrono::steady_clock::now() - again < 2s);
}

}  // namespace redis_state_store_test
