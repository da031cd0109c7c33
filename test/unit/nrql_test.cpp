// NRQL escaping and the trace queries: hostile text never changes a query's structure.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "newrelic/nrql_quote.hpp"
#include "newrelic/trace_queries.hpp"
#include "nra/trace_argument.hpp"

namespace nrql_test {

using namespace nra;
using namespace nra::newrelic;

TEST_CASE("nrql_quote escapes backslash first, then quotes") {
    CHECK(nrql_quote("checkout").value() == "'checkout'");
    CHECK(nrql_quote("doesn't").value() == R"('doesn\'t')");
    CHECK(nrql_quote(R"(a\b)").value() == R"('a\\b')");
    // A trailing backslash must not escape the closing quote.
    CHECK(nrql_quote(R"(x\)").value() == R"('x\\')");
    CHECK(nrql_quote(R"(\')").value() == R"('\\\'')");
    CHECK(nrql_quote("Zürich ☕").value() == "'Zürich ☕'");
}

TEST_CASE("nrql_quote refuses control characters and broken UTF-8") {
    CHECK_FALSE(nrql_quote("a\nb").ok());
    CHECK_FALSE(nrql_quote(std::string("a\0b", 3)).ok());
    CHECK_FALSE(nrql_quote("\x7f").ok());
    CHECK_FALSE(nrql_quote("\xc3").ok());          // truncated sequence
    CHECK_FALSE(nrql_quote("\xc0\xaf").ok());      // overlong '/'
    CHECK_FALSE(nrql_quote("\xed\xa0\x80").ok());  // surrogate
}

TEST_CASE("injection strings never reach a query") {
    for (const char* hostile :
         {"'; DROP",
          "abc' OR trace.id LIKE '%",
          "4bf92f35' OR '1'='1",
          "0123456789abcdef' --",
          "%",
          "*"}) {
        INFO(hostile);
        CHECK_FALSE(parse_trace_argument(hostile).ok());
        CHECK_FALSE(span_rows_nrql({hostile}, std::chrono::hours(24), {}).ok());
        CHECK_FALSE(span_stats_nrql({hostile}, std::chrono::hours(24)).ok());
    }
}

TEST_CASE("span rows query asks both attribute dialects with LIMIT MAX") {
    const auto q = span_rows_nrql({"4bf92f3577b34da6a3ce929d0e0e4736"}, std::chrono::hours(36), {});
    REQUIRE(q.ok());
    CHECK(
        *q ==
        "SELECT * FROM Span WHERE (trace.id IN ('4bf92f3577b34da6a3ce929d0e0e4736') OR traceId "
        "IN ('4bf92f3577b34da6a3ce929d0e0e4736')) SINCE 36 hours ago LIMIT MAX"
    );
}

TEST_CASE("windowed query bounds timestamps exactly and lists alternate ids") {
    const auto q = span_rows_nrql(
        {"00000000000000000123456789abcdef", "0123456789abcdef"},
        std::chrono::hours(24),
        TimeWindow{1000, 2000}
    );
    REQUIRE(q.ok());
    CHECK(
        q->find("IN ('00000000000000000123456789abcdef', '0123456789abcdef')") != std::string::npos
    );
    CHECK(
        q->find("AND timestamp >= 1000 AND timestamp < 2000 SINCE 1000 UNTIL 2001 LIMIT MAX") !=
        std::string::npos
    );
}

TEST_CASE("stats query aliases every aggregate") {
    const auto q = span_stats_nrql({"0123456789abcdef"}, std::chrono::hours(2));
    REQUIRE(q.ok());
    CHECK(
        q->find("count(*) AS 'spans', min(timestamp) AS 'first', max(timestamp) AS 'last'") !=
        std::string::npos
    );
    CHECK(q->find("SINCE 2 hours ago") != std::string::npos);
}

TEST_CASE("GraphQL body carries NRQL in variables, account-scoped or cross-account") {
    const std::string nrql = "SELECT 1 FROM Span WHERE name = 'a\"b'";
    auto one = nlohmann::json::parse(nrql_request_body({42}, nrql, 30));
    CHECK(one["variables"]["nrql"] == nrql);
    CHECK(one["variables"]["accountId"] == 42);
    CHECK(one["variables"]["timeout"] == 30);
    const std::string doc = one["query"];
    CHECK(doc.find("account(id: $accountId)") != std::string::npos);
    CHECK(doc.find("SELECT") == std::string::npos);  // never spliced into the document

    auto many = nlohmann::json::parse(nrql_request_body({1, 2, 3}, nrql, 60));
    CHECK(many["variables"]["accounts"] == nlohmann::json::array({1, 2, 3}));
    CHECK(std::string(many["query"]).find("nrql(accounts: $accounts") != std::string::npos);
}

}  // namespace nrql_test
