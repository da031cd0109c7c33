// Baselines keyed by callee through NerdGraphBaselineSource: client and database spans of one
// (service, name) asked per callee in a FACET CASES query (URL shape, peer, database), which the
// fake evaluates, so calls to different callees get their own usual durations; the bare pair
// stays asked as the fallback.
#include <catch2/catch.hpp>

#include "nerdgraph_baseline_harness.hpp"
#include "newrelic/baseline_queries.hpp"

namespace nerdgraph_callee_baseline_test {

using namespace baseline_test;

namespace {

const std::string kSep(1, kCalleeSeparator);

// `n` OTel client spans of payment-service `POST` to `url`, `ms` each.
void calls(BaselineHarness& h, const std::string& url, double ms, std::size_t n) {
    auto events = make_span_events(
        "payment-service",
        ServiceKind::otel,
        "POST",
        std::vector<double>(n, ms),
        kNow - 2 * kHour,
        kNow - kHour
    );
    for (auto& e : events) {
        e.span_kind = "client";
        e.extra["url.full"] = url;
    }
    h.fake.add_requests(1, std::move(events));
}

}  // namespace

TEST_CASE("callee baselines: calls named alike get the usual duration of their own callee") {
    BaselineHarness h;
    calls(h, "https://api.psp.example/v1/payment_intents/123?x=1", 540, 30);
    calls(h, "http://fraud-check:8080/fraud/score", 95, 30);
    auto db = make_span_events(
        "orders",
        ServiceKind::apm,
        "Datastore/statement/Postgres/items/select",
        std::vector<double>(25, 12),
        kNow - 2 * kHour,
        kNow - kHour
    );
    for (auto& e : db) {
        e.extra["db.system"] = "Postgres";
        e.extra["db.instance"] = "orders";
    }
    h.fake.add_requests(1, std::move(db));

    const BaselineKey psp{
        "payment-service", "POST", "url" + kSep + "api.psp.example/v1/payment_intents/*"};
    const BaselineKey fraud{
        "payment-service", "POST", "url" + kSep + "fraud-check:8080/fraud/score"};
    const BaselineKey items{
        "orders",
        "Datastore/statement/Postgres/items/select",
        "db" + kSep + "Postgres" + kSep + "orders"};
    const BaselineKey other_db{
        "orders",
        "Datastore/statement/Postgres/items/select",
        "db" + kSep + "Postgres" + kSep + "billing"};
    const BaselineKey bare{"payment-service", "POST"};
    const auto r = h.ask({psp, fraud, items, other_db, bare});
    REQUIRE(r.status == FetchStatus::found);
    std::map<BaselineKey, BaselineStats> by_key;
    for (const auto& s : r.stats) by_key.emplace(s.key, s);
    REQUIRE(by_key.contains(psp));
    CHECK(*by_key.at(psp).p50_ms == Approx(540));
    CHECK(by_key.at(psp).count == 30);
    REQUIRE(by_key.contains(fraud));
    CHECK(*by_key.at(fraud).p50_ms == Approx(95));
    REQUIRE(by_key.contains(items));
    CHECK(*by_key.at(items).p50_ms == Approx(12));
    CHECK_FALSE(by_key.contains(other_db));  // another database: no samples
    REQUIRE(by_key.contains(bare));          // every callee mixed
    CHECK(by_key.at(bare).count == 60);
    const auto log = h.fake.nrql_log();
    REQUIRE(log.size() == 2);  // the bare pairs, then the callees
    CHECK(contains(log[1], "FACET CASES (WHERE entity.name = 'payment-service'"));
    CHECK(contains(log[1], "url.full LIKE '%://api.psp.example/v1/payment_intents/%'"));

    // Cached per callee: asked again, no query.
    const auto again = h.ask({psp, fraud});
    CHECK(again.stats.size() == 2);
    CHECK(h.fake.nrql_log().size() == 2);
}

TEST_CASE("callee baselines: thousands of callees, one query under 4 KB, the most specific first") {
    std::vector<BaselineKey> keys;
    for (int i = 0; i < 2000; ++i) {
        keys.emplace_back("svc", "GET", "peer" + kSep + fmt::format("host-{}.example", i));
    }
    keys.emplace_back("svc", "GET", "peer" + kSep + "bad\nhost");  // never quoted
    keys.emplace_back("svc", "GET", "nonsense");                   // not a callee key
    const auto q = newrelic::callee_baseline_nrql(keys, kTrace, {kNow - kHour, kNow});
    REQUIRE(q.ok());
    CHECK(q->nrql.size() < newrelic::kMaxBaselineNrql);
    REQUIRE_FALSE(q->asked.empty());
    CHECK(q->asked.front().callee.size() >= keys.front().callee.size());  // specific first
    CHECK(contains(q->nrql, "AS 'c0'"));
    CHECK(contains(q->nrql, "peer.service = 'host-1000.example'"));
    CHECK_FALSE(newrelic::callee_baseline_nrql({BaselineKey{"svc", "GET"}}, kTrace, {0, 1}).ok());
}

TEST_CASE("callee baselines: a shorter URL shape does not take a longer one's calls") {
    BaselineHarness h;
    calls(h, "http://orders:8080/orders", 10, 30);
    calls(h, "http://orders:8080/orders/17/items?page=2", 200, 30);
    calls(h, "http://orders:8080/orders-archive", 900, 30);
    const BaselineKey list{"payment-service", "POST", "url" + kSep + "orders:8080/orders"};
    const BaselineKey items{"payment-service", "POST", "url" + kSep + "orders:8080/orders/*/items"};
    const auto r = h.ask({list, items});
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.stats.size() == 2);
    for (const auto& s : r.stats) {
        CHECK(s.count == 30);
        CHECK(*s.p50_ms == Approx(s.key == list ? 10 : 200));
    }
}

}  // namespace nerdgraph_callee_baseline_test
