// Reading the incident-context answers: log rows of either spelling, levels lower-cased, hostile
// and odd values (wrong types, nulls, huge texts) skipped or kept as plain data, TIMESERIES rows
// put in their buckets with missing rows as 0, users and the p99.
#include "newrelic/context_results.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace context_results_test {

using namespace nra;
using namespace nra::newrelic;
using nlohmann::json;

TEST_CASE("log rows of both spellings become lines") {
    const json rows = json::array({
        {{"timestamp", 1700000000123},
         {"message", "boom"},
         {"level", "ERROR"},
         {"span.id", "00f067aa0ba902b7"},
         {"entity.name", "checkout"},
         {"service.name", "x"}},
        {{"timestamp", 1700000000456.0},
         {"message", "slow"},
         {"level", nullptr},
         {"log.level", "Warn"},
         {"span_id", "b7ad6b7169203331"},
         {"service.name", "cart"}},
        {{"timestamp", 1700000000789},
         {"message", "hi"},
         {"severity.text", "INFO"},
         {"spanId", "0000000000000001"}},
        {{"timestamp", 1700000000999}, {"message", "plain"}},
    });
    const auto lines = read_log_lines(rows.dump());
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 4);
    const auto& l = *lines;
    CHECK(l[0].timestamp_ms == 1700000000123);
    CHECK(l[0].level == "error");
    CHECK(l[0].span_id == "00f067aa0ba902b7");
    CHECK(l[0].service == "checkout");
    CHECK(l[1].timestamp_ms == 1700000000456);
    CHECK(l[1].level == "warn");
    CHECK(l[1].span_id == "b7ad6b7169203331");
    CHECK(l[1].service == "cart");
    CHECK(l[2].level == "info");
    CHECK(l[2].span_id == "0000000000000001");
    CHECK(l[2].service.empty());
    CHECK(l[3].level.empty());
    CHECK(l[3].span_id.empty());
}

TEST_CASE("odd log rows are skipped, hostile text kept as data, huge messages cut") {
    const std::string hostile = "<!channel> *bold* `code` ' OR 1=1 -- \"quote\" \\ \u202e";
    const json rows = json::array({
        42,
        "text",
        nullptr,
        json::array(),
        {{"message", "no timestamp"}},
        {{"timestamp", "soon"}, {"message", "bad timestamp"}},
        {{"timestamp", -5}, {"message", "negative"}},
        {{"timestamp", 1e300}, {"message", "far future"}},
        {{"timestamp", 1700000000000}, {"message", 12}},
        {{"timestamp", 1700000000000},
         {"message", hostile},
         {"level", 3},
         {"span.id", std::string(500, 'a')},
         {"entity.name", json::object()}},
        {{"timestamp", 1700000000001}, {"message", std::string(100000, 'x') + "\xc3\xa9"}},
    });
    const auto lines = read_log_lines(rows.dump());
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[0].message == hostile);
    CHECK((*lines)[0].level.empty());
    CHECK((*lines)[0].span_id.empty());
    CHECK((*lines)[0].service.empty());
    CHECK((*lines)[1].message.size() == kMaxReadMessage);
    CHECK_FALSE(read_log_lines("{\"not\": \"a list\"}").ok());
    CHECK_FALSE(read_log_lines("[{\"timestamp\": 1, ").ok());
    CHECK(read_log_lines("").ok());
}

TEST_CASE("TIMESERIES rows go to their buckets, missing rows count 0") {
    constexpr std::int64_t kFrom = 1'700'000'100'000;
    const json rows = json::array({
        {{"beginTimeSeconds", 1700000100},
         {"endTimeSeconds", 1700000400},
         {"total", 10},
         {"matching", 2}},
        {{"beginTimeSeconds", 1700000700.0}, {"total", 7.0}, {"matching", nullptr}},
        {{"beginTimeSeconds", 1700000400}, {"total", "3"}, {"matching", -1}},
        {{"beginTimeSeconds", 1600000000}, {"total", 99}},                  // outside the window
        {{"total", 5}},                                                     // no bucket
        {{"beginTimeSeconds", 1700000090}, {"total", 1}, {"matching", 1}},  // snapped: bucket 0
    });
    const auto buckets = read_blast_buckets(rows.dump(), kFrom, 5, 4);
    REQUIRE(buckets.ok());
    REQUIRE(buckets->size() == 4);
    CHECK((*buckets)[0].start_ms == kFrom);
    CHECK((*buckets)[0].total == 11);
    CHECK((*buckets)[0].matching == 3);
    CHECK((*buckets)[1].start_ms == kFrom + 300'000);
    CHECK((*buckets)[1].total == 3);
    CHECK((*buckets)[1].matching == 0);
    CHECK((*buckets)[2].total == 7);
    CHECK((*buckets)[3].total == 0);
    CHECK((*buckets)[3].start_ms == kFrom + 900'000);
    const auto empty = read_blast_buckets("[]", kFrom, 5, 12);
    REQUIRE(empty.ok());
    CHECK(empty->size() == 12);
}

TEST_CASE("users and the p99 are read from their single row") {
    const auto users = read_blast_users(R"([{"users": 4, "with_user": 9}])");
    REQUIRE(users.ok());
    CHECK(users->users == 4);
    CHECK(users->with_user == 9);
    CHECK(read_blast_users("[]")->with_user == 0);
    CHECK(read_blast_users(R"([{"users": null, "with_user": "x"}])")->users == 0);

    CHECK(**read_subject_p99(R"([{"ms": {"99": 420.5}, "s": {"99": null}}])") == Approx(420.5));
    CHECK(**read_subject_p99(R"([{"ms": {"99": null}, "s": {"99": 1.5}}])") == Approx(1500));
    CHECK_FALSE(read_subject_p99(R"([{"ms": {"99": null}, "s": {"99": null}}])")->has_value());
    CHECK_FALSE(read_subject_p99(R"([{"ms": 3, "s": "x"}])")->has_value());
    CHECK_FALSE(read_subject_p99(R"([{"s": {"99": 1e308}}])")->has_value());
}

}  // namespace context_results_test
