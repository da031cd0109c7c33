// The App Home's latest analyses shared by replicas: what one replica analysed is listed
// by the other, newest first, one entry per trace, bounded, and damaged entries are skipped.
#include "state/shared_recent_store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "redis/redis_connection.hpp"
#include "redis/redis_state_store.hpp"
#include "redis/redis_url.hpp"
#include "state/memory_state_store.hpp"
#include "support/redis_server.hpp"
#include "support/run_async.hpp"

namespace shared_recent_store_test {

using namespace nra;
using namespace nra::test;
namespace asio = boost::asio;

namespace {

RecentAnalysis analysis(std::string id, double ms) {
    RecentAnalysis a;
    a.trace_id = std::move(id);
    a.request = "GET /checkout";
    a.duration_ms = ms;
    a.span_count = 42;
    a.error_count = 1;
    a.top_finding = "N+1 on `SELECT * FROM items`";
    a.channel = "C1";
    a.permalink_ts = "1700000000.000100";
    a.at_epoch_s = 1'795'420'800;
    return a;
}

redis::RedisEndpoint endpoint_of(const std::string& url) {
    auto parsed = redis::parse_redis_url(url);
    REQUIRE(parsed.ok());
    return *parsed;
}

}  // namespace

TEST_CASE("a summary recorded on one replica is listed by the other") {
    RedisServer redis;
    asio::io_context ioc;
    redis::RedisConnection conn_a(ioc.get_executor(), endpoint_of(redis.url()));
    redis::RedisConnection conn_b(ioc.get_executor(), endpoint_of(redis.url()));
    redis::RedisStateStore store_a(conn_a);
    redis::RedisStateStore store_b(conn_b);
    SharedRecentStore a(store_a);
    SharedRecentStore b(store_b);
    CHECK(run_blocking(ioc, a.remember("T1", analysis("aaa", 120))));
    CHECK(run_blocking(ioc, b.remember("T1", analysis("bbb", 80))));
    CHECK(run_blocking(ioc, a.remember("T2", analysis("ccc", 10))));
    const auto listed = run_blocking(ioc, b.recall("T1"));
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].trace_id == "bbb");  // newest first
    CHECK(listed[1].trace_id == "aaa");
    CHECK(listed[1].duration_ms == 120);
    CHECK(listed[1].span_count == 42);
    CHECK(listed[1].error_count == 1);
    CHECK(listed[1].top_finding == "N+1 on `SELECT * FROM items`");
    CHECK(listed[1].permalink_ts == "1700000000.000100");
    CHECK(listed[1].at_epoch_s == 1'795'420'800);
    CHECK(run_blocking(ioc, a.recall("T2")).size() == 1);
    CHECK(run_blocking(ioc, a.recall("T3")).empty());
}

TEST_CASE("a repeated trace moves to the front, and the list is bounded") {
    asio::io_context ioc;
    state::MemoryStateStore store;
    SharedRecentStore recent(store, 3);
    for (const auto* id : {"a", "b", "c", "d"}) {
        CHECK(run_blocking(ioc, recent.remember("T1", analysis(id, 1))));
    }
    CHECK(run_blocking(ioc, recent.remember("T1", analysis("c", 2))));
    const auto listed = run_blocking(ioc, recent.recall("T1"));
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].trace_id == "c");
    CHECK(listed[0].duration_ms == 2);
    CHECK(listed[1].trace_id == "d");
    CHECK(listed[2].trace_id == "b");
}

TEST_CASE("damaged shared entries are skipped, never thrown") {
    asio::io_context ioc;
    state::MemoryStateStore store;
    const std::string key = "recent:T1";
    const std::string damaged = R"([{"trace_id":"ok","duration_ms":"slow"},7,{"request":"x"}])";
    CHECK(run_blocking(ioc, store.put(key, damaged, std::chrono::milliseconds(0))));
    SharedRecentStore recent(store);
    const auto listed = run_blocking(ioc, recent.recall("T1"));
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].trace_id == "ok");
    CHECK(listed[0].duration_ms == 0);
}

}  // namespace shared_recent_store_test
