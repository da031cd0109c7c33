// The in-memory StateStore: claims, expiry on an injected clock, fixed-window counters, the size
// bound dropping the soonest-expiring entries, and many threads at once.
#include "state/memory_state_store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "support/run_async.hpp"

namespace memory_state_store_test {

using namespace std::chrono_literals;
using nra::state::MemoryStateStore;
using nra::test::run_blocking;

namespace {

struct FakeClock {
    MemoryStateStore::Clock::time_point now{std::chrono::seconds(100)};
    MemoryStateStore::Now function() {
        return [this] { return now; };
    }
};

}  // namespace

TEST_CASE("memory store: claim once, expire, claim again") {
    FakeClock clock;
    MemoryStateStore store(100, clock.function());
    CHECK(store.claim_now("event:E1", "a", 1000ms));
    CHECK_FALSE(store.claim_now("event:E1", "b", 1000ms));
    CHECK(store.get_now("event:E1") == "a");
    clock.now += 999ms;
    CHECK(store.get_now("event:E1") == "a");
    clock.now += 1ms;
    CHECK_FALSE(store.get_now("event:E1").has_value());
    CHECK(store.claim_now("event:E1", "c", 1000ms));
    CHECK(store.get_now("event:E1") == "c");
}

TEST_CASE("memory store: put, overwrite, no expiry with ttl 0, remove") {
    FakeClock clock;
    MemoryStateStore store(100, clock.function());
    store.put_now("k", "v1", 10ms);
    store.put_now("k", "v2", 0ms);  // replaces the value and drops the expiry
    clock.now += 24h;
    CHECK(store.get_now("k") == "v2");
    CHECK_FALSE(store.claim_now("k", "v3", 0ms));
    store.remove_now("k");
    CHECK_FALSE(store.get_now("k").has_value());
    store.remove_now("never-there");
    CHECK(store.size() == 0);
}

TEST_CASE("memory store: increment counts in a fixed window") {
    FakeClock clock;
    MemoryStateStore store(100, clock.function());
    CHECK(store.increment_now("rate:U1", 60s) == 1);
    clock.now += 30s;
    CHECK(store.increment_now("rate:U1", 60s) == 2);
    clock.now += 29s;
    CHECK(store.increment_now("rate:U1", 60s) == 3);  // the window is fixed, not sliding
    clock.now += 1s;
    CHECK(store.increment_now("rate:U1", 60s) == 1);
    store.put_now("rate:U2", "oops", 0ms);
    CHECK(store.increment_now("rate:U2", 60s) == 1);  // not a count: starts again
}

TEST_CASE("memory store: expired entries are purged and the bound drops the soonest first") {
    FakeClock clock;
    MemoryStateStore store(3, clock.function());
    store.put_now("short", "1", 10s);
    store.put_now("long", "2", 100s);
    store.put_now("forever", "3", 0ms);
    store.put_now("medium", "4", 50s);  // over the bound: "short" goes
    CHECK(store.size() == 3);
    CHECK_FALSE(store.get_now("short").has_value());
    CHECK(store.get_now("long") == "2");
    CHECK(store.get_now("forever") == "3");
    CHECK(store.get_now("medium") == "4");
    clock.now += 60s;
    CHECK(store.size() == 3);  // purging is lazy...
    CHECK_FALSE(store.get_now("medium").has_value());
    CHECK(store.size() == 2);  // ...and happens on the next call
}

TEST_CASE("memory store: the port's coroutines answer like the direct calls") {
    boost::asio::io_context ioc;
    MemoryStateStore store;
    CHECK(run_blocking(ioc, store.claim("a", "1", 60s)));
    CHECK_FALSE(run_blocking(ioc, store.claim("a", "2", 60s)));
    CHECK(run_blocking(ioc, store.get("a")) == "1");
    CHECK(run_blocking(ioc, store.increment("n", 60s)) == 1);
    const auto health = store.health();
    CHECK(health.backend == "memory");
    CHECK_FALSE(health.shared);
    CHECK_FALSE(health.degraded);
}

TEST_CASE("memory store: many threads count exactly") {
    MemoryStateStore store;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&store] {
            for (int i = 0; i < 1000; ++i) {
                store.increment_now("shared", 60s);
                store.claim_now("k" + std::to_string(i), "v", 60s);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(store.increment_now("shared", 60s) == 4001);
    CHECK(store.size() == 1001);
}

}  // namespace memory_state_store_test
