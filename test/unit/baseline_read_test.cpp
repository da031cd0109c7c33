// Reading recorded answers to the baseline query: NerdGraph envelopes (one account or several)
// and bare rows, facets as arrays or attribute keys, milliseconds and seconds, strings for
// numbers, nulls, duplicates, and documents that are not answers at all.
#include <catch2/catch.hpp>
#include <string>

#include "newrelic/baseline_results.hpp"
#include "nra/analysis/baseline.hpp"

namespace baseline_read_test {

using namespace nra;

namespace {

const BaselineStats& find(const std::vector<BaselineStats>& list, const BaselineKey& key) {
    for (const auto& s : list) {
        if (s.key == key) return s;
    }
    FAIL("no stats for " << key.service << " / " << key.name);
    throw;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("an account-scoped answer: milliseconds, seconds converted, counts") {
    const auto r = read_baseline_results(R"({"data": {"actor": {"account": {"nrql": {"results": [
        {"facet": ["cart-svc", "GET /cart"], "entity.name": "cart-svc", "name": "GET /cart",
         "samples": 120, "ms": {"50": 12.5, "90": 40, "99": 95.25},
         "s": {"50": null, "90": null, "99": null}},
        {"facet": ["checkout", "SELECT inventory"], "entity.name": "checkout",
         "name": "SELECT inventory", "samples": 800, "ms": {"50": null, "90": null, "99": null},
         "s": {"50": 0.035, "90": 0.06, "99": 0.08}}
    ]}}}}})");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    const auto& cart = find(*r, {"cart-svc", "GET /cart"});
    CHECK(cart.count == 120);
    CHECK(*cart.p50_ms == Approx(12.5));
    CHECK(*cart.p90_ms == Approx(40));
    CHECK(*cart.p99_ms == Approx(95.25));
    const auto& db = find(*r, {"checkout", "SELECT inventory"});
    CHECK(db.count == 800);
    CHECK(*db.p50_ms == Approx(35));
    CHECK(*db.p90_ms == Approx(60));
    CHECK(*db.p99_ms == Approx(80));
}

TEST_CASE("a cross-account answer and a bare list of rows read the same") {
    const std::string rows =
        R"([{"facet": ["a", "b"], "samples": "42", "ms": {"50.0": "1.5", "90.0": 2, "99.0": 3}}])";
    for (const auto& doc :
         {R"({"data": {"actor": {"nrql": {"results": )" + rows + "}}}}",
          rows,
          R"({"results": )" + rows + "}"}) {
        const auto r = read_baseline_results(doc);
        REQUIRE(r.ok());
        REQUIRE(r->size() == 1);
        CHECK(r->front().key == BaselineKey{"a", "b"});
        CHECK(r->front().count == 42);
        CHECK(*r->front().p50_ms == Approx(1.5));
        CHECK(*r->front().p99_ms == Approx(3));
    }
}

TEST_CASE("milliseconds are preferred, seconds fill in, null is no value") {
    const auto r = read_baseline_results(R"([
        {"facet": ["s", "both"], "samples": 10, "ms": {"50": 7, "90": null},
         "s": {"50": 100, "90": 0.2, "99": null}},
        {"facet": ["s", "none"], "samples": 3, "ms": null, "s": null},
        {"facet": ["s", "own keys"], "samples": 5, "percentile.duration": {"50": 0.5},
         "percentile.duration.ms": {"90": 9}}
    ])");
    REQUIRE(r.ok());
    const auto& both = find(*r, {"s", "both"});
    CHECK(*both.p50_ms == Approx(7));    // ms wins where it has a value
    CHECK(*both.p90_ms == Approx(200));  // seconds where ms is null
    CHECK_FALSE(both.p99_ms);
    const auto& none = find(*r, {"s", "none"});
    CHECK(none.count == 3);
    CHECK_FALSE(none.p50_ms);
    CHECK_FALSE(none.p90_ms);
    CHECK_FALSE(none.p99_ms);
    const auto& own = find(*r, {"s", "own keys"});  // New Relic's keys when aliases were lost
    CHECK(*own.p50_ms == Approx(500));
    CHECK(*own.p90_ms == Approx(9));
}

TEST_CASE("facets from the attribute keys, rows without both names skipped") {
    const auto r = read_baseline_results(R"([
        {"entity.name": "svc", "name": "it's \"x\" \\ café ☕", "samples": 4, "ms": {"50": 1}},
        {"facet": ["svc"], "entity.name": "svc", "name": "only one facet", "samples": 4},
        {"facet": ["svc", null], "samples": 4},
        {"entity.name": "svc", "samples": 9},
        {"name": "no service", "samples": 9},
        {"facet": ["", "empty service"], "samples": 9},
        "not a row", 17, null
    ])");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK(r->at(0).key == BaselineKey{"svc", R"(it's "x" \ café ☕)"});
    CHECK(r->at(1).key == BaselineKey{"svc", "only one facet"});  // entity.name fills in
}

TEST_CASE("the same pair twice keeps the row with more samples") {
    const auto r = read_baseline_results(R"([
        {"facet": ["a", "b"], "samples": 5, "ms": {"50": 1}},
        {"facet": ["a", "b"], "samples": 50, "ms": {"50": 2}},
        {"facet": ["a", "b"], "samples": 20, "ms": {"50": 3}},
        {"facet": ["a", "c"], "samples": -3, "ms": {"50": 4}},
        {"facet": ["a", "d"], "samples": "many", "ms": {"50": "NaN"}},
        {"facet": ["a", "e"], "samples": 1, "comparison": "previous"}
    ])");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 3);
    CHECK(find(*r, {"a", "b"}).count == 50);
    CHECK(*find(*r, {"a", "b"}).p50_ms == Approx(2));
    CHECK(find(*r, {"a", "c"}).count == 0);  // a negative count is no count
    CHECK(find(*r, {"a", "d"}).count == 0);
    CHECK_FALSE(find(*r, {"a", "d"}).p50_ms);
}

TEST_CASE("an empty answer has no rows") {
    const auto r = read_baseline_results(R"({"data": {"actor": {"nrql": {"results": []}}}})");
    REQUIRE(r.ok());
    CHECK(r->empty());
}

TEST_CASE("documents that are not answers are errors with a short message") {
    SECTION("a GraphQL error without data") {
        const std::string long_text(500, 'x');
        const auto r = read_baseline_results(
            R"({"data": null, "errors": [{"message": "NRQL Syntax Error: )" + long_text +
            "\\nsecond line\"}]}"
        );
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error(), "NRQL Syntax Error"));
        CHECK_FALSE(contains(r.error(), "second line"));
        CHECK(r.error().size() < 250);
    }
    SECTION("errors beside data still read the data") {
        const auto r = read_baseline_results(
            R"({"data": {"actor": {"nrql": {"results": [{"facet": ["a", "b"], "samples": 1}]}}},
                "errors": [{"message": "deprecated"}]})"
        );
        REQUIRE(r.ok());
        CHECK(r->size() == 1);
    }
    for (const char* bad :
         {"",
          "{",
          "42",
          "\"text\"",
          R"({"hello": [1, 2]})",
          R"({"data": {"actor": {"nrql": {"results": {"a": 1}}}}})",
          R"({"errors": ["boom"]})"}) {
        CAPTURE(bad);
        const auto r = read_baseline_results(bad);
        REQUIRE_FALSE(r.ok());
        CHECK_FALSE(r.error().empty());
        CHECK(r.error().size() < 100);
    }
}

TEST_CASE("a trace's Span rows are not mistaken for a baseline answer", "[baseline]") {
    const auto spans = nra::read_baseline_results(
        R"([{"entity.name": "svc", "name": "GET /", "duration": 0.1, "traceId": "ab"}])"
    );
    REQUIRE_FALSE(spans);
    CHECK(spans.error().find("no sample counts or percentiles") != std::string::npos);
    const auto empty = nra::read_baseline_results("[]");  // a service with no history
    REQUIRE(empty);
    CHECK(empty->empty());
}

}  // namespace baseline_read_test
