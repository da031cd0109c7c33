// The NerdGraph trace source end to end against the fake: dialects, accounts, paging, TLS,
// gzip and late spans.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "nerdgraph_harness.hpp"

namespace nerdgraph_fetch_test {

using namespace nra;
using namespace nra::test;

namespace {

const std::string kAgentTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kBigTrace = "0123456789abcdef0123456789abcdef";

std::int64_t hour_ago() {
    return now_ms() - 3'600'000;
}

boost::asio::awaitable<void> run_work(std::function<void()> work) {
    work();
    co_return;
}

boost::asio::awaitable<void> run_on(
    boost::asio::thread_pool::executor_type pool, std::function<void()> work
) {
    auto task = run_work(std::move(work));
    co_await boost::asio::co_spawn(pool, std::move(task), boost::asio::use_awaitable);
}

}  // namespace

TEST_CASE("agent span rows: one query, the key in API-Key, a complete tree") {
    NerdGraphHarness h;
    h.fake.add_rows(1, rebase_rows(fixture_rows("newrelic/agent-rows.json"), hour_ago()));
    auto r = h.fetch(kAgentTrace);
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.tree);
    CHECK(r.tree->size() == 5);
    CHECK(r.tree->report.complete());
    CHECK(h.fake.nrql_log().size() == 1);
    const auto requests = h.fake.server().requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].header("API-Key") == FakeNerdGraph::kApiKey);
    CHECK(h.fake.variables_log()[0]["accountId"] == 1);
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
}

TEST_CASE("the rows are read and assembled through the offload, off the I/O thread") {
    NerdGraphHarness h;
    h.fake.add_rows(1, rebase_rows(fixture_rows("newrelic/agent-rows.json"), hour_ago()));
    boost::asio::thread_pool pool(1);
    std::thread::id worked_on;
    int calls = 0;
    h.offload = [&](std::function<void()> work) {
        ++calls;
        std::function<void()> recorded = [&worked_on, w = std::move(work)] {
            worked_on = std::this_thread::get_id();
            w();
        };
        return run_on(pool.get_executor(), std::move(recorded));
    };
    auto r = h.fetch(kAgentTrace);
    pool.join();
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 5);
    CHECK(calls == 1);
    CHECK(worked_on != std::thread::id{});
    CHECK(worked_on != std::this_thread::get_id());
}

TEST_CASE("OpenTelemetry span rows") {
    NerdGraphHarness h;
    h.fake.add_rows(1, rebase_rows(fixture_rows("newrelic/otel-rows.json"), hour_ago()));
    auto r = h.fetch(kAgentTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 5);
    CHECK(r.tree->span(r.tree->root).service == "checkout");
}

TEST_CASE("several accounts use the cross-account form, in groups of 5") {
    NerdGraphHarness h;
    auto rows = make_trace_rows(kBigTrace, 40, RowDialect::otel, hour_ago());
    nlohmann::json first = nlohmann::json::array();
    nlohmann::json second = nlohmann::json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) (i % 2 == 0 ? first : second).push_back(rows[i]);
    h.fake.add_rows(7, first);
    h.fake.add_rows(31, second);
    SECTION("two accounts, one query") {
        h.config.accounts = {7, 31};
        auto r = h.fetch(kBigTrace);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.tree->size() == 40);
        CHECK(r.tree->report.complete());
        CHECK(h.fake.variables_log()[0]["accounts"] == nlohmann::json::array({7, 31}));
    }
    SECTION("31 accounts, seven queries: six of 5 accounts, then one") {
        h.config.accounts.clear();
        for (std::int64_t a = 1; a <= 31; ++a) h.config.accounts.push_back(a);
        auto r = h.fetch(kBigTrace);
        REQUIRE(r.status == FetchStatus::found);
        CHECK(r.tree->size() == 40);
        const auto vars = h.fake.variables_log();
        REQUIRE(vars.size() == 7);
        for (std::size_t i = 0; i < 6; ++i) CHECK(vars[i]["accounts"].size() == 5);
        CHECK(vars[6]["accountId"] == 31);
    }
    SECTION("NEW_RELIC_ACCOUNTS_PER_QUERY lowers the group size") {
        h.config.accounts = {7, 8, 31};
        h.config.accounts_per_query = 2;
        auto r = h.fetch(kBigTrace);
        REQUIRE(r.status == FetchStatus::found);
        const auto vars = h.fake.variables_log();
        REQUIRE(vars.size() == 2);
        CHECK(vars[0]["accounts"] == nlohmann::json::array({7, 8}));
        CHECK(vars[1]["accountId"] == 31);
    }
}

TEST_CASE("the fake refuses more than 5 accounts in one nrql(), as NerdGraph's schema does") {
    NerdGraphHarness h;
    h.fake.add_rows(1, make_trace_rows(kBigTrace, 4, RowDialect::otel, hour_ago()));
    h.config.accounts.clear();
    for (std::int64_t a = 1; a <= 6; ++a) h.config.accounts.push_back(a);
    h.config.accounts_per_query = 6;
    auto r = h.fetch(kBigTrace);
    CHECK(r.status != FetchStatus::found);
}

TEST_CASE("a 12,000-span trace is fetched completely by paging, concurrently") {
    NerdGraphHarness h;
    h.config.max_concurrency = 3;
    h.fake.add_rows(1, make_trace_rows(kBigTrace, 12'000, RowDialect::agent, hour_ago()));
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 12'000);
    CHECK(r.tree->report.complete());
    CHECK(r.tree->report.duplicate_ids == 0);
    const auto nrql = h.fake.nrql_log();
    REQUIRE(nrql.size() >= 5);  // first page, count, three windows
    CHECK(nrql[1].find("count(*)") != std::string::npos);
    // Pages ran concurrently, but never on more connections than allowed (+1 for the first two).
    CHECK(h.fake.server().connections_accepted() >= 2);
    CHECK(h.fake.server().connections_accepted() <= 3);
    REQUIRE_FALSE(h.progress_seen.empty());
    CHECK(h.progress_seen.back().fetched == 12'000);
    CHECK(h.progress_seen.back().expected == 12'000);
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("12000 spans") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("a window that comes back full is split until it fits") {
    NerdGraphHarness h;
    h.fake.set_row_limit(100);
    h.config.row_limit = 100;
    // 250 spans, most of them in the first few milliseconds: the planned windows overflow.
    auto rows = make_trace_rows(kBigTrace, 250, RowDialect::otel, hour_ago());
    const auto base = rows[0]["timestamp"].get<std::int64_t>();
    for (std::size_t i = 1; i < 200; ++i) rows[i]["timestamp"] = base + static_cast<int>(i % 4);
    h.fake.add_rows(1, rows);
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 250);
    CHECK(r.tree->report.duplicate_ids == 0);
}

TEST_CASE("more rows in one millisecond than a page holds: reported, not hidden") {
    NerdGraphHarness h;
    h.fake.set_row_limit(10);
    h.config.row_limit = 10;
    auto rows = make_trace_rows(kBigTrace, 25, RowDialect::otel, hour_ago());
    for (auto& row : rows) row["timestamp"] = rows[0]["timestamp"];
    h.fake.add_rows(1, rows);
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 10);
    bool noted = false;
    for (const auto& n : r.notes)
        noted = noted || n.find("share the millisecond") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("TLS with the test CA, and gzip answers") {
    FakeServerOptions tls;
    tls.tls = true;
    NerdGraphHarness h(tls);
    h.fake.set_gzip(true);
    h.fake.add_rows(1, make_trace_rows(kBigTrace, 300, RowDialect::agent, hour_ago()));
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 300);
    CHECK(
        h.fake.server().requests()[0].header("Accept-Encoding").find("gzip") != std::string::npos
    );
}

TEST_CASE("late spans: a recent incomplete trace is asked for again until it is whole") {
    NerdGraphHarness h;
    h.config.requeries = 3;
    auto rows = make_trace_rows(kBigTrace, 30, RowDialect::otel, now_ms() - 5'000);
    const auto late = rows[1];  // a service span: its 29 children are orphans without it
    rows.erase(rows.begin() + 1);
    h.fake.add_rows(1, rows);
    h.fake.on_rows_query([late](FakeNerdGraph& fake, std::size_t n) {
        if (n == 1) fake.add_rows(1, nlohmann::json::array({late}));
    });
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->report.complete());
    CHECK(r.tree->size() == 30);
    CHECK(h.fake.rows_queries() == 2);
    bool told = false;  // the user hears why it takes longer
    for (const auto& p : h.progress_seen)
        told = told || p.waiting.find("late") != std::string::npos;
    CHECK(told);
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("1 more time") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("spans that never arrive: re-queried a bounded number of times, then said plainly") {
    NerdGraphHarness h;
    h.config.requeries = 2;
    auto rows = make_trace_rows(kBigTrace, 30, RowDialect::otel, now_ms() - 5'000);
    rows.erase(rows.begin() + 1);
    h.fake.add_rows(1, rows);
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK_FALSE(r.tree->report.complete());
    CHECK(h.fake.rows_queries() == 3);
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("still incomplete") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("an old incomplete trace is not waited for") {
    NerdGraphHarness h;
    h.config.requeries = 3;
    auto rows = make_trace_rows(kBigTrace, 30, RowDialect::otel, hour_ago());
    rows.erase(rows.begin() + 1);
    h.fake.add_rows(1, rows);
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(h.fake.rows_queries() == 1);
    bool noted = false;
    for (const auto& n : r.notes) noted = noted || n.find("too old") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("a re-query that fails keeps the trace already fetched (review finding)") {
    NerdGraphHarness h;
    h.config.requeries = 1;
    auto rows = make_trace_rows(kBigTrace, 30, RowDialect::otel, now_ms() - 5'000);
    rows.erase(rows.begin() + 1);
    h.fake.add_rows(1, rows);
    h.fake.on_rows_query([](FakeNerdGraph& fake, std::size_t n) {
        if (n == 1) {
            for (int i = 0; i < 8; ++i) fake.push_fault(NerdGraphFault::http(503));
        }
    });
    auto r = h.fetch(kBigTrace);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.tree->size() == 29);
    CHECK_FALSE(r.tree->report.complete());
    bool noted = false;
    for (const auto& n : r.notes)
        noted = noted || n.find("asking again for late spans failed") != std::string::npos;
    CHECK(noted);
}

}  // namespace nerdgraph_fetch_test
