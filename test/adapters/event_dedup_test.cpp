// EventDedup: Slack retries within the TTL are recognised; memory stays bounded.
#include "slack/event_dedup.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace event_dedup_test {

using namespace nra;
using namespace std::chrono_literals;

namespace {
const EventDedup::Clock::time_point kT0{std::chrono::hours(1000)};
}

TEST_CASE("repeats within the TTL are not first, after the TTL they are again") {
    EventDedup dedup(10, 300s);
    CHECK(dedup.first_time("Ev1", kT0));
    CHECK_FALSE(dedup.first_time("Ev1", kT0));
    CHECK_FALSE(dedup.first_time("Ev1", kT0 + 60s));
    CHECK_FALSE(dedup.first_time("Ev1", kT0 + 299s));
    CHECK(dedup.first_time("Ev2", kT0 + 299s));
    CHECK(dedup.first_time("Ev1", kT0 + 300s));  // expired exactly at the TTL
    CHECK_FALSE(dedup.first_time("Ev1", kT0 + 301s));
    CHECK_FALSE(dedup.first_time("Ev2", kT0 + 301s));
    CHECK(dedup.size() == 2);
}

TEST_CASE("a re-added id lives a full TTL from its new time") {
    EventDedup dedup(10, 100s);
    CHECK(dedup.first_time("a", kT0));
    CHECK(dedup.first_time("b", kT0 + 50s));
    CHECK(dedup.first_time("a", kT0 + 120s));  // old "a" expired, re-added
    CHECK(dedup.size() == 2);
    CHECK(dedup.first_time("c", kT0 + 160s));  // expires "b" only
    CHECK(dedup.size() == 2);
    CHECK_FALSE(dedup.first_time("a", kT0 + 219s));
    CHECK(dedup.first_time("a", kT0 + 220s));
}

TEST_CASE("at capacity the oldest id is forgotten first") {
    EventDedup dedup(3, 3600s);
    CHECK(dedup.first_time("a", kT0));
    CHECK(dedup.first_time("b", kT0 + 1s));
    CHECK(dedup.first_time("c", kT0 + 2s));
    CHECK(dedup.first_time("d", kT0 + 3s));  // evicts "a"
    CHECK(dedup.size() == 3);
    CHECK_FALSE(dedup.first_time("b", kT0 + 4s));
    CHECK_FALSE(dedup.first_time("c", kT0 + 4s));
    CHECK_FALSE(dedup.first_time("d", kT0 + 4s));
    CHECK(dedup.first_time("a", kT0 + 5s));  // evicts "b"
    CHECK(dedup.first_time("b", kT0 + 6s));  // evicts "c"
    CHECK_FALSE(dedup.first_time("d", kT0 + 7s));
    CHECK(dedup.size() == 3);
}

TEST_CASE("empty ids are never deduplicated nor stored") {
    EventDedup dedup(3, 60s);
    CHECK(dedup.first_time("", kT0));
    CHECK(dedup.first_time("", kT0));
    CHECK(dedup.size() == 0);
}

TEST_CASE("zero capacity remembers nothing") {
    EventDedup dedup(0, 60s);
    CHECK(dedup.first_time("a", kT0));
    CHECK(dedup.first_time("a", kT0));
    CHECK(dedup.size() == 0);
}

TEST_CASE("100k distinct inserts stay bounded, repeats of recent ids are caught") {
    EventDedup dedup(1000, 7200s);
    for (int i = 0; i < 100'000; ++i) {
        const auto now = kT0 + std::chrono::milliseconds(i);
        REQUIRE(dedup.first_time("Ev" + std::to_string(i), now));
        REQUIRE(dedup.size() <= 1000);
    }
    CHECK(dedup.size() == 1000);
    CHECK_FALSE(dedup.first_time("Ev99999", kT0 + 100s));
    CHECK_FALSE(dedup.first_time("Ev99000", kT0 + 100s));
    CHECK(dedup.first_time("Ev98999", kT0 + 100s));  // forgotten by capacity
}

TEST_CASE("100k inserts over many TTLs drain by expiry") {
    EventDedup dedup(100'000, 10s);
    for (int i = 0; i < 100'000; ++i) {
        REQUIRE(dedup.first_time("Ev" + std::to_string(i), kT0 + std::chrono::milliseconds(i * 10))
        );
    }
    // One insert per 10 ms with a 10 s TTL: about 1000 live ids.
    CHECK(dedup.size() <= 1001);
    CHECK(dedup.size() >= 999);
    CHECK(dedup.first_time("late", kT0 + 10'000s));
    CHECK(dedup.size() == 1);
}

}  // namespace event_dedup_test
