// The baseline NRQL text: its exact shape, escaping of every name, the trace exclusion under
// both dialects' attributes, the LIMIT, and the 4 KB cap over thousands of names.
#include "newrelic/baseline_queries.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

namespace baseline_queries_test {

using namespace nra;
using namespace nra::newrelic;

namespace {

constexpr TimeWindow kWindow{1'700'000'000'000, 1'700'086'400'000};
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the exact query for two pairs, this trace excluded") {
    const auto q = baseline_nrql(
        {{"checkout", "SELECT inventory"}, {"cart-svc", "GET /cart"}}, kTrace, kWindow
    );
    REQUIRE(q.ok());
    CHECK(
        q->nrql ==
        "SELECT count(*) AS 'samples', percentile(duration.ms, 50, 90, 99) AS 'ms', "
        "percentile(duration, 50, 90, 99) AS 's' FROM Span WHERE entity.name IN ('checkout', "
        "'cart-svc') AND name IN ('SELECT inventory', 'GET /cart') AND (trace.id IS NULL OR "
        "trace.id != '4bf92f3577b34da6a3ce929d0e0e4736') AND (traceId IS NULL OR traceId != "
        "'4bf92f3577b34da6a3ce929d0e0e4736') FACET entity.name, name SINCE 1700000000000 UNTIL "
        "1700086400000 LIMIT 4"
    );
    REQUIRE(q->asked.size() == 2);
    CHECK(q->asked[0] == BaselineKey{"checkout", "SELECT inventory"});
    CHECK(q->asked[1] == BaselineKey{"cart-svc", "GET /cart"});
}

TEST_CASE("LIMIT is distinct services times distinct names, at most 5,000") {
    std::vector<BaselineKey> keys{{"a", "x"}, {"a", "y"}, {"b", "x"}, {"a", "x"}, {"c", "z"}};
    auto q = baseline_nrql(keys, kTrace, kWindow);
    REQUIRE(q.ok());
    CHECK(q->asked.size() == 4);  // the repeated pair is asked once
    CHECK(contains(q->nrql, "entity.name IN ('a', 'b', 'c') AND name IN ('x', 'y', 'z')"));
    CHECK(contains(q->nrql, "LIMIT 9"));  // 3 services × 3 names

    keys.clear();
    for (int s = 0; s < 80; ++s) {
        for (int n = 0; n < 80; ++n) keys.push_back({fmt::format("s{}", s), fmt::format("n{}", n)});
    }
    q = baseline_nrql(keys, kTrace, kWindow);
    REQUIRE(q.ok());
    CHECK(q->nrql.size() < kMaxBaselineNrql);
    CHECK(contains(q->nrql, "LIMIT 5000"));
}

TEST_CASE("names are escaped: quotes, backslashes, double quotes, unicode") {
    const auto q = baseline_nrql(
        {{"it's", R"(a\b)"}, {R"("x")", "café ☕ 日本"}, {R"(trailing\)", "o'neil\\'s"}},
        kTrace,
        kWindow
    );
    REQUIRE(q.ok());
    CHECK(contains(q->nrql, R"(entity.name IN ('it\'s', '"x"', 'trailing\\'))"));
    CHECK(contains(q->nrql, R"(name IN ('a\\b', 'café ☕ 日本', 'o\'neil\\\'s'))"));
    CHECK(q->asked.size() == 3);
}

TEST_CASE("names nrql_quote refuses are skipped, the others asked") {
    const auto q = baseline_nrql(
        {{"svc", "two\nlines"}, {"svc", "ok"}, {"bad\xff", "x"}, {"", "y"}, {"svc", ""}},
        kTrace,
        kWindow
    );
    REQUIRE(q.ok());
    REQUIRE(q->asked.size() == 1);
    CHECK(q->asked[0] == BaselineKey{"svc", "ok"});
    CHECK_FALSE(contains(q->nrql, "lines"));
    const auto none = baseline_nrql({{"svc", "tab\there"}}, kTrace, kWindow);
    CHECK_FALSE(none.ok());
}

TEST_CASE("no keys is an error") {
    const auto q = baseline_nrql({}, kTrace, kWindow);
    REQUIRE_FALSE(q.ok());
    CHECK_FALSE(q.error().empty());
}

TEST_CASE("5,000 distinct long names: the first ones that fit, under 4,000 bytes") {
    std::vector<BaselineKey> keys;
    for (int i = 0; i < 5000; ++i) {
        keys.push_back({"svc", fmt::format("SELECT {:04} FROM a_rather_long_table_name_{}", i, i)});
    }
    const auto q = baseline_nrql(keys, kTrace, kWindow);
    REQUIRE(q.ok());
    CHECK(q->nrql.size() < kMaxBaselineNrql);
    REQUIRE(q->asked.size() > 10);
    CHECK(q->asked.size() < 100);
    for (std::size_t i = 0; i < q->asked.size(); ++i) CHECK(q->asked[i] == keys[i]);  // in order
    CHECK(contains(q->nrql, keys[q->asked.size() - 1].name));
    CHECK_FALSE(contains(q->nrql, keys[q->asked.size()].name));
    CHECK(contains(q->nrql, fmt::format("LIMIT {}", q->asked.size())));
    // One more name would not have fitted: the cap is tight, not conservative.
    const auto longer = q->nrql.size() + keys[q->asked.size()].name.size() + 4;
    CHECK(longer >= kMaxBaselineNrql);
}

TEST_CASE("a single name too long for any query is an error") {
    const auto q = baseline_nrql({{"svc", std::string(5000, 'n')}}, kTrace, kWindow);
    REQUIRE_FALSE(q.ok());
    CHECK(contains(q.error(), "too long"));
}

TEST_CASE("a trace id that is not query-safe is not put into the query") {
    for (const char* id : {"", "x' OR 1=1 --", "4bf92f35", "zzzzzzzzzzzzzzzzzzzz"}) {
        CAPTURE(id);
        const auto q = baseline_nrql({{"svc", "op"}}, id, kWindow);
        REQUIRE(q.ok());
        CHECK_FALSE(contains(q->nrql, "trace.id"));
        CHECK_FALSE(contains(q->nrql, "traceId"));
        CHECK(contains(q->nrql, "name IN ('op') FACET entity.name, name SINCE"));
    }
    const auto upper = baseline_nrql({{"svc", "op"}}, "4BF92F3577B34DA6", kWindow);
    REQUIRE(upper.ok());
    CHECK(contains(upper->nrql, "traceId != '4BF92F3577B34DA6'"));
}

}  // namespace baseline_queries_test
