// The NerdGraph baseline source against the fake NerdGraph over HTTP: agent and OpenTelemetry
// spans, this trace excluded, escaped names, thousands of names, the cache (positive, negative,
// time to live, bounded), faults and account groups. The fake evaluates the NRQL it receives, so
// the numbers checked here come from the query as New Relic would read it.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "nerdgraph_baseline_harness.hpp"

namespace nerdgraph_baseline_test {

using namespace baseline_test;  // NOLINT(google-build-using-namespace): test helpers
namespace {

const BaselineKey kDb{"checkout", "SELECT inventory"};  // agent spans (duration in seconds)
const BaselineKey kCart{"cart-svc", "GET /cart"};       // OpenTelemetry spans

}  // namespace

TEST_CASE("percentiles per pair for agent and OpenTelemetry spans, only the pairs asked") {
    BaselineHarness h;
    h.spans(1, kDb.service, ServiceKind::apm, kDb.name, steps(20, 5));  // 5 … 100 ms
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, steps(10));
    // In the services × names superset the query facets, but not asked.
    h.spans(1, "checkout", ServiceKind::apm, "GET /cart", steps(5));
    // Outside the 24 h window.
    h.fake.add_requests(
        1,
        make_span_events(
            "checkout", ServiceKind::apm, kDb.name, {9000}, kNow - 30 * kHour, kNow - 29 * kHour
        )
    );

    const auto r = h.ask({kDb, kCart});
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.message.empty());
    CHECK(r.window == "last 24 h");
    REQUIRE(r.stats.size() == 2);
    CHECK(r.stats[0].key == kDb);  // in the order asked
    CHECK(r.stats[0].count == 20);
    CHECK(*r.stats[0].p50_ms == Approx(50));  // seconds converted
    CHECK(*r.stats[0].p90_ms == Approx(90));
    CHECK(*r.stats[0].p99_ms == Approx(100));
    CHECK(r.stats[1].key == kCart);
    CHECK(r.stats[1].count == 10);
    CHECK(*r.stats[1].p50_ms == Approx(50));
    CHECK(*r.stats[1].p90_ms == Approx(90));
    CHECK(*r.stats[1].p99_ms == Approx(100));

    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 1);
    CHECK(contains(log[0], fmt::format("SINCE {} UNTIL {}", kNow - 24 * kHour, kNow)));
    CHECK(h.fake.variables_log()[0]["timeout"] == 5);  // the baseline's own short timeout
    CHECK(h.source().cached() == 2);
    CHECK(h.logs_mention("2 pairs, 0 from the cache, 2 asked, 2 with data"));
}

TEST_CASE("this trace's spans are excluded in both dialects, spans without a trace id kept") {
    BaselineHarness h;
    h.spans(1, kDb.service, ServiceKind::apm, kDb.name, steps(10));
    h.spans(1, kDb.service, ServiceKind::apm, kDb.name, {5000, 6000, 7000}, kTrace);
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, steps(10));
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, {5000, 6000, 7000}, kTrace);
    auto untraced = make_span_events(
        kCart.service, ServiceKind::otel, kCart.name, {10, 10}, kNow - 2 * kHour, kNow - kHour
    );
    for (auto& e : untraced) e.trace_id.clear();  // no trace.id at all: `!=` alone would drop it
    h.fake.add_requests(1, untraced);

    const auto r = h.ask({kDb, kCart});
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.stats.size() == 2);
    CHECK(r.stats[0].count == 10);
    CHECK(*r.stats[0].p99_ms == Approx(100));
    CHECK(r.stats[1].count == 12);
    CHECK(*r.stats[1].p99_ms == Approx(100));

    // An id that cannot be put into a query excludes nothing (a new window: not from the cache).
    const auto all = h.ask({kDb, kCart}, "x' OR name != '", 48);
    REQUIRE(all.status == FetchStatus::found);
    CHECK(all.window == "last 2 days");
    REQUIRE(all.stats.size() == 2);
    CHECK(all.stats[0].count == 13);
    CHECK(*all.stats[0].p99_ms == Approx(7000));
    CHECK(all.stats[1].count == 15);
    CHECK_FALSE(contains(h.fake.nrql_log().back(), "x'"));
}

TEST_CASE("names with quotes, backslashes and unicode round-trip exactly") {
    BaselineHarness h;
    const BaselineKey odd{R"(it's "quoted" \ café ☕)", R"(SELECT * FROM "t" WHERE a = 'x\y' 日本)"};
    const BaselineKey trailing{R"(trailing\)", R"(a\b)"};
    h.spans(1, odd.service, ServiceKind::otel, odd.name, steps(4));
    h.spans(1, trailing.service, ServiceKind::apm, trailing.name, steps(3));
    h.spans(1, "svc", ServiceKind::apm, "plain", steps(7));
    const BaselineKey injection{"svc", "x') OR name LIKE ('%"};
    const BaselineKey newline{"svc", "two\nlines"};

    const auto r = h.ask({odd, injection, newline, trailing});
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.stats.size() == 2);
    CHECK(r.stats[0].key == odd);
    CHECK(r.stats[0].count == 4);
    CHECK(r.stats[1].key == trailing);
    CHECK(r.stats[1].count == 3);
    CHECK(find(r, injection) == nullptr);  // one literal name, matching nothing
    const auto nrql = h.fake.nrql_log().at(0);
    CHECK(contains(nrql, R"('it\'s "quoted" \\ café ☕')"));
    CHECK(contains(nrql, R"('trailing\\')"));
    CHECK_FALSE(contains(nrql, "lines"));  // refused by nrql_quote: not asked
}

TEST_CASE("thousands of distinct names: one query under 4 KB, the first names asked") {
    BaselineHarness h;
    h.options.max_keys = 5000;
    std::vector<BaselineKey> keys;
    for (int i = 0; i < 3000; ++i) {
        keys.push_back({"db-svc", fmt::format("SELECT {:04} FROM a_rather_long_table_name", i)});
    }
    for (int i : {0, 1, 2, 2999}) h.spans(1, "db-svc", ServiceKind::otel, keys[i].name, steps(3));

    const auto r = h.ask(keys);
    REQUIRE(r.status == FetchStatus::found);
    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 1);
    CHECK(log[0].size() < 4000);
    CHECK(r.stats.size() == 3);
    CHECK(find(r, keys[2999]) == nullptr);  // beyond what fits: no baseline
    const auto asked = h.source().cached();
    CHECK(asked > 10);
    CHECK(asked < 200);
    CHECK(contains(log[0], fmt::format("LIMIT {}", asked)));
}

TEST_CASE("at most max_keys pairs are asked, the most important first") {
    BaselineHarness h;  // max_keys 60 by default
    std::vector<BaselineKey> keys;
    for (int i = 0; i < 100; ++i) keys.push_back({"svc", fmt::format("op{:03}", i)});
    h.spans(1, "svc", ServiceKind::otel, "op059", steps(2));
    h.spans(1, "svc", ServiceKind::otel, "op060", steps(2));
    const auto r = h.ask(keys);
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.stats.size() == 1);
    CHECK(r.stats[0].key.name == "op059");
    CHECK(contains(h.fake.nrql_log()[0], "'op059'"));
    CHECK_FALSE(contains(h.fake.nrql_log()[0], "'op060'"));
    CHECK(h.source().cached() == 60);
}

TEST_CASE("the cache: no query within the time to live, positive and negative, then again") {
    BaselineHarness h;
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, steps(10));
    const BaselineKey fresh{"new-svc", "no history"};

    const auto first = h.ask({kCart, fresh});
    REQUIRE(first.status == FetchStatus::found);
    REQUIRE(first.stats.size() == 1);  // a pair with no history: found, without stats
    CHECK(h.queries() == 1);

    h.now += 599'000;
    const auto again = h.ask({fresh, kCart});
    REQUIRE(again.status == FetchStatus::found);
    REQUIRE(again.stats.size() == 1);
    CHECK(again.stats[0].count == 10);
    CHECK(h.queries() == 1);  // both from the cache, the empty one included
    CHECK(h.logs_mention("2 pairs, 2 from the cache, 0 asked, 1 with data"));

    const BaselineKey other{"cart-svc", "POST /cart"};
    h.ask({kCart, other});
    REQUIRE(h.queries() == 2);  // only the new pair is asked
    CHECK(contains(h.fake.nrql_log()[1], "name IN ('POST /cart')"));

    h.now += 2'000;  // 601 s after the first answer
    h.spans(1, fresh.service, ServiceKind::otel, fresh.name, steps(5));
    const auto later = h.ask({kCart, fresh});
    CHECK(h.queries() == 3);
    REQUIRE(later.stats.size() == 2);
    CHECK(find(later, fresh)->count == 5);
    CHECK(contains(h.fake.nrql_log()[2], "'GET /cart'"));
}

TEST_CASE("the cache is bounded: the oldest entries go first") {
    BaselineHarness h;
    h.options.cache_entries = 3;
    const std::vector<BaselineKey> keys{{"s", "a"}, {"s", "b"}, {"s", "c"}, {"s", "d"}, {"s", "e"}};
    h.ask(keys);
    CHECK(h.source().cached() == 3);
    h.ask({keys[4]});
    CHECK(h.queries() == 1);  // kept
    h.ask({keys[0]});
    CHECK(h.queries() == 2);  // evicted, asked again
    CHECK(h.source().cached() == 3);
}

TEST_CASE("a New Relic that hangs: timed out within the budget, nothing cached") {
    BaselineHarness h;
    h.options.budget = std::chrono::milliseconds(700);
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, steps(10));
    h.fake.push_fault(NerdGraphFault::of(NerdGraphFault::Kind::hang));
    const auto start = std::chrono::steady_clock::now();
    const auto r = h.ask({kCart});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(r.status == FetchStatus::timed_out);
    CHECK(r.message == "New Relic did not answer the baseline query in time");
    CHECK(r.window == "last 24 h");
    CHECK(r.stats.empty());
    CHECK(h.source().cached() == 0);

    const auto next = h.ask({kCart});  // nothing was cached: asked again, answered
    REQUIRE(next.status == FetchStatus::found);
    CHECK(next.stats.size() == 1);
}

TEST_CASE("baseline failures become statuses with a short message, never the key") {
    BaselineHarness h;
    h.spans(1, kCart.service, ServiceKind::otel, kCart.name, steps(10));
    FetchStatus status = FetchStatus::found;
    std::string text;
    SECTION("rate limited") {
        for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(429, "0"));
        status = FetchStatus::rate_limited;
        text = "rate-limiting";
    }
    SECTION("New Relic's internal error") {
        for (int i = 0; i < 20; ++i)
            h.fake.push_fault(NerdGraphFault::graphql("INTERNAL_SERVER_ERROR"));
        status = FetchStatus::unavailable;
        text = "internal error";
    }
    SECTION("another GraphQL error") {
        h.fake.push_fault(NerdGraphFault::graphql("SOMETHING_ELSE"));
        status = FetchStatus::failed;
        text = "answered with an error";
    }
    SECTION("no account") {
        h.config.accounts.clear();
        status = FetchStatus::failed;
        text = "no New Relic account";
    }
    const auto r = h.ask({kCart});
    CHECK(r.status == status);
    CHECK(contains(r.message, text));
    CHECK(r.message.size() < 120);
    CHECK(r.stats.empty());
    CHECK(h.source().cached() == 0);
    CHECK_FALSE(contains(r.message, FakeNerdGraph::kApiKey));
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
}

TEST_CASE(
    "more than 5 accounts: a query per group of 5, counts added, the busier group's percentiles"
) {
    BaselineHarness h;
    h.config.accounts.clear();
    for (std::int64_t a = 1; a <= 31; ++a) h.config.accounts.push_back(a);
    h.spans(1, kDb.service, ServiceKind::apm, kDb.name, std::vector<double>(10, 10));
    h.spans(31, kDb.service, ServiceKind::apm, kDb.name, std::vector<double>(30, 100));
    h.spans(31, kCart.service, ServiceKind::otel, kCart.name, steps(4));

    const auto r = h.ask({kDb, kCart});
    REQUIRE(r.status == FetchStatus::found);
    const auto vars = h.fake.variables_log();
    REQUIRE(vars.size() == 7);
    CHECK(vars[0]["accounts"].size() == 5);
    CHECK(vars[6]["accountId"] == 31);
    CHECK(h.fake.nrql_log()[0] == h.fake.nrql_log()[6]);
    REQUIRE(r.stats.size() == 2);
    CHECK(r.stats[0].count == 40);
    CHECK(*r.stats[0].p50_ms == Approx(100));
    CHECK(r.stats[1].count == 4);
}

TEST_CASE("no keys: found with nothing, no query") {
    BaselineHarness h;
    const auto r = h.ask({});
    CHECK(r.status == FetchStatus::found);
    CHECK(r.stats.empty());
    CHECK(r.window == "last 24 h");
    CHECK(h.queries() == 0);
}

}  // namespace nerdgraph_baseline_test
