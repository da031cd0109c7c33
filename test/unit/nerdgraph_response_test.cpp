// Reading NerdGraph answers: rows from both query shapes, error classes, broken bodies.
#include "newrelic/nerdgraph_response.hpp"

#include <catch2/catch.hpp>

#include "newrelic/trace_paging.hpp"

namespace nerdgraph_response_test {

using namespace nra::newrelic;

TEST_CASE("rows of an account-scoped answer are kept raw") {
    const auto a = parse_nrql_answer(
        R"({"data":{"actor":{"account":{"nrql":{"results":[{"id":"a"},{"id":"b","x":[1,2]}]}}}}})"
    );
    REQUIRE(a.ok());
    CHECK(a->row_count == 2);
    CHECK(a->rows_json == R"([{"id":"a"},{"id":"b","x":[1,2]}])");
    CHECK(a->error == GraphqlError::none);
}

TEST_CASE("rows of a cross-account answer") {
    const auto a = parse_nrql_answer(R"({"data":{"actor":{"nrql":{"results":[{"n":1}]}}}})");
    REQUIRE(a.ok());
    CHECK(a->row_count == 1);
}

TEST_CASE("errors come first or last and are classified") {
    struct Case {
        const char* body;
        GraphqlError expected;
    };
    const Case cases[] = {
        {R"({"errors":[{"message":"NRDB query duration exceeded the set timeout","extensions":{"errorClass":"TIMEOUT"}}],"data":{"actor":{"account":{"nrql":null}}}})",
         GraphqlError::timeout},
        {R"({"data":null,"errors":[{"message":"x","extensions":{"errorClass":"TOO_MANY_REQUESTS"}}]})",
         GraphqlError::rate_limited},
        {R"({"errors":[{"message":"x","extensions":{"errorClass":"SERVER_ERROR"}}]})",
         GraphqlError::server},
        {R"({"errors":[{"message":"Invalid API key","extensions":{"error_code":"BAD_API_KEY"}}]})",
         GraphqlError::bad_key},
        {R"({"errors":[{"message":"NRQL Syntax Error: Error at line 1"}]})", GraphqlError::syntax},
        {R"({"errors":[{"message":"Forbidden","extensions":{"errorClass":"FORBIDDEN"}}]})",
         GraphqlError::access},
        {R"({"errors":[{"message":"something else"}]})", GraphqlError::other},
    };
    for (const auto& c : cases) {
        INFO(c.body);
        const auto a = parse_nrql_answer(c.body);
        REQUIRE(a.ok());
        CHECK(a->error == c.expected);
        CHECK_FALSE(a->error_message.empty());
    }
}

TEST_CASE("deprecation warnings alone are not errors") {
    const auto a = parse_nrql_answer(
        R"({"data":{"actor":{"account":{"nrql":{"results":[]}}}},"errors":[{"message":"This field is deprecated! Use x"}]})"
    );
    REQUIRE(a.ok());
    CHECK(a->error == GraphqlError::none);
    CHECK(a->row_count == 0);
}

TEST_CASE("malformed and truncated bodies are refused, not half-read") {
    const std::string full =
        R"({"data":{"actor":{"account":{"nrql":{"results":[{"id":"a"},{"id":"b"}]}}}}})";
    CHECK_FALSE(parse_nrql_answer("").ok());
    CHECK_FALSE(parse_nrql_answer("<html>502 Bad Gateway</html>").ok());
    CHECK_FALSE(parse_nrql_answer("[1,2]").ok());
    for (std::size_t cut = 1; cut < full.size(); cut += 7) {
        INFO(cut);
        const auto a = parse_nrql_answer(full.substr(0, cut));
        // A cut body is either refused or yields no rows; it never yields partial rows.
        if (a.ok()) CHECK(a->rows_json.empty());
    }
}

TEST_CASE("span stats row") {
    auto s = parse_span_stats(R"([{"spans":12000,"first":1.7e12,"last":1700000005000}])");
    REQUIRE(s.ok());
    CHECK(s->count == 12000);
    CHECK(s->first_ms == 1'700'000'000'000);
    CHECK(s->last_ms == 1'700'000'005'000);
    CHECK(parse_span_stats(R"([{"spans":0,"first":null,"last":null}])")->count == 0);
    CHECK_FALSE(parse_span_stats("[]").ok());
    CHECK_FALSE(parse_span_stats(R"([{"spans":5,"first":9,"last":3}])").ok());
    CHECK_FALSE(parse_span_stats(R"([{"spans":"many"}])").ok());
}

TEST_CASE("windows cover the range without gaps, ~80 % of the limit each") {
    const SpanStats stats{12'000, 1000, 1999};
    const auto w = plan_windows(stats, 5000);
    REQUIRE(w.size() == 3);
    CHECK(w.front().from_ms == 1000);
    CHECK(w.back().to_ms == 2000);
    for (std::size_t i = 1; i < w.size(); ++i) CHECK(w[i].from_ms == w[i - 1].to_ms);
    // Never more windows than milliseconds.
    CHECK(plan_windows({100'000, 5, 6}, 5000).size() == 2);
    CHECK(plan_windows({0, 0, 0}, 5000).empty());
}

TEST_CASE("split halves a window until one millisecond remains") {
    auto halves = split_window({10, 21});
    REQUIRE(halves);
    CHECK(halves->first.from_ms == 10);
    CHECK(halves->first.to_ms == halves->second.from_ms);
    CHECK(halves->second.to_ms == 21);
    CHECK_FALSE(split_window({10, 11}));
}

TEST_CASE("a damaged answer is unreadable, never an empty page (review finding)") {
    for (const char* body : {
             R"({"data":{"actor":{"account":{"nrql":{"results":[{"a":1} {"b":2}]}}}},"errors":[{"message":"x","extensions":{"errorClass":"TIMEOUT"}}]})",
             R"({"data":{"actor":{"account":{"nrql":{"results":"oops"}}}}})",
             R"({"data":{"actor":{"account":{"nrql":null}}}})",
             R"({"data":{"actor":{"account":{"nrql":{"results":[]}}}},"errors":{"message":"x"}})",
             R"({"data":null})",
             R"({})",
         }) {
        INFO(body);
        CHECK_FALSE(parse_nrql_answer(body).ok());
    }
    // An empty result is an answer: zero rows.
    const auto empty = parse_nrql_answer(R"({"data":{"actor":{"nrql":{"results":[]}}}})");
    REQUIRE(empty.ok());
    CHECK(empty->row_count == 0);
}

TEST_CASE("absurd stats plan a bounded number of windows without overflow (review finding)") {
    const auto w = plan_windows({1'000'000'000, 0, 1'000'000'000'000'000}, 5000);
    REQUIRE(w.size() == 2000);
    CHECK(w.front().from_ms == 0);
    CHECK(w.back().to_ms == 1'000'000'000'000'001);
    for (std::size_t i = 1; i < w.size(); ++i) CHECK(w[i].from_ms == w[i - 1].to_ms);
}

}  // namespace nerdgraph_response_test
