// The span budget: how many spans the process holds at once. Waiting, order, time-outs,
// cancellation, and the New Relic trace source counting spans before it fetches the pages.
#include "newrelic/span_budget.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/system_error.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>

#include "nerdgraph_harness.hpp"

namespace span_budget_test {

using nra::newrelic::SpanBudget;
using namespace std::chrono_literals;
namespace asio = boost::asio;

// One reserve() running on the io_context; what it ended with.
struct Reservation {
    std::optional<nra::Result<std::size_t>> result;
    bool aborted = false;
};

asio::awaitable<void> reserve_into(
    SpanBudget* budget, SpanBudget::Lease* lease, std::size_t spans, Reservation* out
) {
    try {
        out->result = co_await budget->reserve(*lease, spans);
    } catch (const boost::system::system_error& e) {
        out->aborted = e.code() == asio::error::operation_aborted;
    }
}

// Starts a reserve() and runs what is ready; `cancel` (optional) can cancel it like a shutdown.
void start(
    asio::io_context& ioc,
    SpanBudget& b,
    SpanBudget::Lease& l,
    std::size_t n,
    Reservation& r,
    asio::cancellation_signal* cancel = nullptr
) {
    auto done = [](const std::exception_ptr&) {};
    if (cancel != nullptr) {
        asio::co_spawn(
            ioc, reserve_into(&b, &l, n, &r), asio::bind_cancellation_slot(cancel->slot(), done)
        );
    } else {
        asio::co_spawn(ioc, reserve_into(&b, &l, n, &r), done);
    }
    ioc.poll();
    ioc.restart();
}

void settle(asio::io_context& ioc) {
    ioc.poll();
    ioc.restart();
}

// A budget of 1,000 spans of which `held` are taken by another trace, given back by holder.reset().
struct Crowded {
    Crowded(std::size_t held, std::chrono::milliseconds max_wait) : budget(1'000, max_wait) {
        CHECK(budget.take(*holder, held).ok());
    }
    // Another fetch asks for `n` spans into `lease`; its outcome lands in `asked`.
    void ask(std::size_t n, asio::cancellation_signal* cancel = nullptr) {
        start(ioc, budget, lease, n, asked, cancel);
    }
    SpanBudget budget;
    asio::io_context ioc;
    std::unique_ptr<SpanBudget::Lease> holder = std::make_unique<SpanBudget::Lease>(budget);
    SpanBudget::Lease lease{budget};
    Reservation asked;
};

TEST_CASE("span budget: a trace larger than the whole budget is refused at once, in words") {
    SpanBudget budget(1'000, 1min);
    SpanBudget::Lease lease(budget);
    asio::io_context ioc;
    Reservation r;
    start(ioc, budget, lease, 1'001, r);
    REQUIRE(r.result.has_value());
    REQUIRE_FALSE(r.result->ok());
    CHECK(
        r.result->error() ==
        "too large to analyse here: 1001 spans (this bot holds at most 1000 spans in memory)"
    );
    CHECK_FALSE(budget.take(lease, 1'001).ok());
    CHECK(budget.in_flight() == 0);
}

TEST_CASE(
    "span budget: a fetch waits until the spans in flight are given back, first come first "
    "served"
) {
    SpanBudget budget(1'000, 1min);
    asio::io_context ioc;
    auto first = std::make_unique<SpanBudget::Lease>(budget);
    Reservation a;
    start(ioc, budget, *first, 800, a);
    REQUIRE(a.result.has_value());
    CHECK(budget.in_flight() == 800);

    SpanBudget::Lease second(budget);
    SpanBudget::Lease third(budget);
    SpanBudget::Lease small(budget);
    Reservation b;
    Reservation c;
    Reservation d;
    start(ioc, budget, second, 500, b);
    start(ioc, budget, third, 600, c);
    start(ioc, budget, small, 100, d);  // it would fit, but others came first
    CHECK_FALSE(b.result.has_value());
    CHECK_FALSE(c.result.has_value());
    CHECK_FALSE(d.result.has_value());
    CHECK(budget.waiting() == 3);

    first.reset();  // the first trace's result is destroyed: its 800 spans come back
    settle(ioc);
    REQUIRE(b.result.has_value());
    CHECK(b.result->ok());
    CHECK_FALSE(c.result.has_value());  // 500 + 600 > 1,000: waits for the second
    CHECK_FALSE(d.result.has_value());  // and the small one stays behind it
    CHECK(budget.in_flight() == 500);
    CHECK(second.spans() == 500);

    // A lease that holds spans grows at once (a re-query), even with others waiting.
    auto grown = budget.take(second, 520);
    CHECK(grown.ok());
    CHECK(budget.in_flight() == 520);
}

TEST_CASE("span budget: waiters that fit together all start when the spans come back") {
    Crowded c(900, 1min);
    SpanBudget::Lease other(c.budget);
    Reservation other_asked;
    c.ask(600);
    start(c.ioc, c.budget, other, 400, other_asked);
    c.holder.reset();
    settle(c.ioc);
    REQUIRE(c.asked.result.has_value());
    REQUIRE(other_asked.result.has_value());  // 600 + 400 fit together
    CHECK(c.budget.in_flight() == 1'000);
    CHECK(c.budget.waiting() == 0);
}

TEST_CASE("span budget: no room within the wait: too busy, and the queue is left clean") {
    Crowded c(800, 1ms);
    c.ask(300);
    c.ioc.run();  // until the 1 ms wait is over
    REQUIRE(c.asked.result.has_value());
    REQUIRE_FALSE(c.asked.result->ok());
    CHECK(c.asked.result->error().find("too busy: 800 spans of other traces") == 0);
    CHECK(c.budget.waiting() == 0);
    CHECK(c.budget.in_flight() == 800);
    CHECK(c.lease.spans() == 0);
}

TEST_CASE("span budget: a cancelled wait (shutdown) throws operation_aborted and holds nothing") {
    Crowded c(800, 1min);
    asio::cancellation_signal cancel;
    c.ask(300, &cancel);
    CHECK(c.budget.waiting() == 1);
    cancel.emit(asio::cancellation_type::terminal);
    settle(c.ioc);
    CHECK(c.asked.aborted);
    CHECK_FALSE(c.asked.result.has_value());
    CHECK(c.budget.waiting() == 0);
    c.holder.reset();
    settle(c.ioc);
    CHECK(c.budget.in_flight() == 0);
}

TEST_CASE("span budget: New Relic's count decides before any page is fetched") {
    nra::test::NerdGraphHarness h;
    h.fake.set_row_limit(100);
    h.config.row_limit = 100;
    const std::string id = "5b0d9e3f7a2c4e6b8d0f1a3c5e7b9d10";
    h.fake.add_rows(
        1,
        nra::test::make_trace_rows(
            id, 1'200, nra::test::RowDialect::agent, nra::test::now_ms() - 3'600'000
        )
    );
    SpanBudget budget(1'000, 1min);
    nra::http::Client client(h.ioc.get_executor(), h.client_options);
    nra::newrelic::NerdGraphTraceSource source(client, h.config, {}, {}, &budget);
    const auto r = nra::test::run_blocking(h.ioc, source.fetch({id, {}}, {}));
    CHECK(r.status == nra::FetchStatus::too_large);
    CHECK(
        r.message ==
        "too large to analyse here: 1200 spans (this bot holds at most 1000 spans in memory)"
    );
    CHECK(h.fake.rows_queries() == 1);  // the first page, then the count: no window pages
    CHECK(budget.in_flight() == 0);
}

TEST_CASE("span budget: a second big trace waits for the first one's result to be destroyed") {
    nra::test::NerdGraphHarness h;
    h.fake.set_row_limit(100);
    h.config.row_limit = 100;
    const std::string first_id = "6c1e0f4a8b3d5f7c9e1a2b4d6f8a0c21";
    const std::string second_id = "7d2f1a5b9c4e6a8d0f2b3c5e7a9b1d32";
    const auto end = nra::test::now_ms() - 3'600'000;
    for (const auto& id : {first_id, second_id}) {
        h.fake.add_rows(1, nra::test::make_trace_rows(id, 600, nra::test::RowDialect::otel, end));
    }
    SpanBudget budget(1'000, 1min);
    nra::http::Client client(h.ioc.get_executor(), h.client_options);
    nra::newrelic::NerdGraphTraceSource source(client, h.config, {}, {}, &budget);
    auto first =
        std::make_optional(nra::test::run_blocking(h.ioc, source.fetch({first_id, {}}, {})));
    REQUIRE(first->status == nra::FetchStatus::found);
    CHECK(first->tree->size() == 600);
    CHECK(budget.in_flight() == 600);
    const auto first_queries = h.fake.rows_queries();

    std::optional<nra::FetchResult> second;
    asio::co_spawn(
        h.ioc,
        source.fetch({second_id, {}}, {}),
        [&](const std::exception_ptr&, nra::FetchResult r) { second = std::move(r); }
    );
    while (budget.waiting() == 0 && !second) h.ioc.run_one();
    REQUIRE_FALSE(second.has_value());
    const auto queries_while_waiting = h.fake.rows_queries();
    // The second trace's first page only: counted, then no window page until there is room.
    CHECK(queries_while_waiting == first_queries + 1);

    first.reset();  // the first analysis is over
    h.ioc.run();
    h.ioc.restart();
    REQUIRE(second.has_value());
    REQUIRE(second->status == nra::FetchStatus::found);
    CHECK(second->tree->size() == 600);
    CHECK(h.fake.rows_queries() > queries_while_waiting);
    CHECK(budget.in_flight() == 600);
    second.reset();
    CHECK(budget.in_flight() == 0);
}

}  // namespace span_budget_test
