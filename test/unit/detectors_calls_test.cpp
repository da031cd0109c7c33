// sequential_calls, slow_db and retries: positive cases and the near misses.
#include <catch2/catch.hpp>
#include <string>

#include "detector_builder.hpp"

namespace detectors_calls_test {

using nra::test::cat;
using nra::test::contains;
using nra::test::DetectorTraceBuilder;
using nra::test::of_kind;

namespace {

// Three independent reads one after another, 10 ms apart (plus `gap_ms` extra before the third).
DetectorTraceBuilder checkout(double gap_ms = 0, std::string_view second_method = "GET") {
    DetectorTraceBuilder b;
    b.service("frontend");
    b.add("root", "", "GET /checkout", 0, 2000);
    b.http("inv", "root", "GET", "http://inventory/items/12", 0, 100);
    b.http("price", "root", second_method, "http://pricing/quote", 110, 150);
    b.db("user", "root", "SELECT * FROM feature_flags", 270 + gap_ms, 80);
    return b;
}

}  // namespace

TEST_CASE("sequential_calls: independent reads one after another", "[detectors]") {
    auto b = checkout();
    const auto found = of_kind(b.run(), "sequential_calls");
    REQUIRE(found.size() == 1);
    const auto& f = found[0];
    CHECK(f.count == 3);
    CHECK(f.total_ms == Approx(330));
    CHECK(f.saving_ms == Approx(180));  // 330 in sequence, 150 (the longest) concurrently
    CHECK(f.span_ids == std::vector<std::string>{"inv", "price", "user"});
    CHECK(contains(f.statement, "GET inventory/items/*"));
    CHECK(contains(f.statement, "SELECT * FROM feature_flags"));
    CHECK(contains(f.summary, "`GET /checkout` in frontend"));
    CHECK(contains(f.suggestion, "concurrently"));
}

TEST_CASE(
    "sequential_calls: queries that use an earlier result are not independent", "[detectors]"
) {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /orders", 0, 2000);
    b.db("u", "root", "SELECT * FROM users WHERE email = 'a@b.c'", 0, 80);
    b.db("o", "root", "SELECT * FROM orders WHERE user_id = 7", 90, 80);
    b.db("i", "root", "SELECT * FROM items WHERE order_id IN (1, 2, 3)", 180, 80);
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: overlapping (parallel) calls are not sequential", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /checkout", 0, 400);
    b.http("inv", "root", "GET", "http://inventory/items/12", 0, 100);
    b.http("price", "root", "GET", "http://pricing/quote", 50, 150);
    b.db("user", "root", "SELECT * FROM users WHERE id = 3", 90, 80);
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: a long pause splits the run", "[detectors]") {
    auto b = checkout(600);
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: a write in the middle is a barrier", "[detectors]") {
    auto b = checkout(0, "POST");
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: fewer than three calls", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /checkout", 0, 1000);
    b.http("inv", "root", "GET", "http://inventory/items/12", 0, 300);
    b.http("price", "root", "GET", "http://pricing/quote", 310, 300);
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: the same target repeated is N+1, not sequential", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /checkout", 0, 1000);
    for (int i = 0; i < 3; ++i) {
        b.http(cat("h", i), "root", "GET", cat("http://users/u/", i), i * 110, 100);
    }
    CHECK(of_kind(b.run(), "sequential_calls").empty());
}

TEST_CASE("sequential_calls: short calls and small savings are ignored", "[detectors]") {
    DetectorTraceBuilder shorts;
    shorts.add("root", "", "GET /checkout", 0, 1000);
    shorts.http("a", "root", "GET", "http://a/x", 0, 25);
    shorts.http("b", "root", "GET", "http://b/x", 30, 25);
    shorts.http("c", "root", "GET", "http://c/x", 60, 25);
    CHECK(of_kind(shorts.run(), "sequential_calls").empty());

    DetectorTraceBuilder
        small;  // each ≥ 30 ms, but 120 in sequence vs 40 in parallel saves only 80
    small.add("root", "", "GET /checkout", 0, 1000);
    small.http("a", "root", "GET", "http://a/x", 0, 40);
    small.http("b", "root", "GET", "http://b/x", 45, 40);
    small.http("c", "root", "GET", "http://c/x", 90, 40);
    CHECK(of_kind(small.run(), "sequential_calls").empty());
}

TEST_CASE("slow_db: one slow query", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("order-service");
    b.add("root", "", "GET /orders", 0, 1000);
    b.db("q", "root", "SELECT * FROM orders WHERE customer = 'bob'", 10, 800);
    const auto found = of_kind(b.run(), "slow_db");
    REQUIRE(found.size() == 1);
    CHECK(found[0].statement == "SELECT * FROM orders WHERE customer = ?");
    CHECK(found[0].total_ms == Approx(800));
    CHECK(found[0].saving_ms == Approx(700));  // down to the 100 ms target
    CHECK(found[0].service == "order-service");
    CHECK(contains(found[0].summary, "800 ms in order-service"));
    CHECK(contains(found[0].suggestion, "EXPLAIN"));
}

TEST_CASE("slow_db: one finding per statement shape", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /orders", 0, 3000);
    b.db("q1", "root", "SELECT * FROM orders WHERE id = 1", 10, 600);
    b.db("q2", "root", "SELECT * FROM orders WHERE id = 2", 700, 900);
    b.db("q3", "root", "UPDATE stock SET n = n - 1 WHERE id = 2", 1700, 550);
    const auto found = of_kind(b.run(), "slow_db");
    REQUIRE(found.size() == 2);
    const auto& select = found[0].count == 2 ? found[0] : found[1];
    CHECK(select.count == 2);
    CHECK(select.saving_ms == Approx(500 + 800));
    CHECK(contains(select.summary, "slowest 900 ms"));
}

TEST_CASE("slow_db: below the threshold", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /orders", 0, 1000);
    b.db("q", "root", "SELECT * FROM orders", 10, 499);
    CHECK(of_kind(b.run(), "slow_db").empty());
}

TEST_CASE("retries: failed attempts then success", "[detectors]") {
    DetectorTraceBuilder b;
    b.service("checkout");
    b.add("root", "", "POST /order", 0, 2000);
    auto& a1 = b.http("a1", "root", "POST", "http://payments/charge", 0, 300);
    a1.http_status = 503;
    a1.error = true;
    a1.error_message = b.str("upstream timeout");
    b.http("a2", "root", "POST", "http://payments/charge", 400, 300).http_status = 503;
    b.http("a3", "root", "POST", "http://payments/charge", 800, 100).http_status = 200;
    const auto found = of_kind(b.run(), "retries");
    REQUIRE(found.size() == 1);
    const auto& f = found[0];
    CHECK(f.count == 3);
    CHECK(f.saving_ms == Approx(800));  // two failed attempts and the waits
    CHECK(f.total_ms == Approx(900));
    CHECK(contains(f.summary, "tried 3 times"));
    CHECK(contains(f.summary, "HTTP 503"));
    CHECK(contains(f.summary, "upstream timeout"));
    CHECK(contains(f.summary, "before one succeeded"));
}

TEST_CASE("retries: every attempt failed", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "POST /order", 0, 2000);
    b.http("a1", "root", "GET", "http://rates/eur", 0, 100).http_status = 429;
    b.http("a2", "root", "GET", "http://rates/eur", 150, 100).http_status = 429;
    const auto found = of_kind(b.run(), "retries");
    REQUIRE(found.size() == 1);
    CHECK(contains(found[0].summary, "every attempt failed"));
    CHECK(found[0].saving_ms == Approx(150));
}

TEST_CASE("retries: parallel failures are not retries", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "POST /order", 0, 2000);
    b.http("a1", "root", "GET", "http://rates/eur", 0, 100).http_status = 500;
    b.http("a2", "root", "GET", "http://rates/eur", 20, 100).http_status = 200;
    CHECK(of_kind(b.run(), "retries").empty());
}

TEST_CASE(
    "retries: a failed item of a loop followed by the next item is not a retry", "[detectors]"
) {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 2000);
    b.http("a1", "root", "GET", "http://users/u/1", 0, 100).http_status = 500;
    b.http("a2", "root", "GET", "http://users/u/2", 150, 100);
    CHECK(of_kind(b.run(), "retries").empty());
}

TEST_CASE("retries: repeated successful calls are not retries", "[detectors]") {
    DetectorTraceBuilder b;
    b.add("root", "", "GET /cart", 0, 2000);
    b.http("a1", "root", "GET", "http://users/u/1", 0, 100);
    b.http("a2", "root", "GET", "http://users/u/1", 150, 100);
    CHECK(of_kind(b.run(), "retries").empty());
}

}  // namespace detectors_calls_test
