#include "newrelic/nerdgraph_trace_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <optional>

#include "log/log.hpp"
#include "newrelic/nrql_quote.hpp"
#include "newrelic/trace_paging.hpp"
#include "newrelic/trace_queries.hpp"
#include "nra/formats/formats.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;

struct PageRun {
    explicit PageRun(const asio::any_io_executor& ex) : done(ex) {}
    std::deque<TimeWindow> todo;
    FetchedRows result;
    ProgressFn progress;
    std::shared_ptr<SpanBudget::Lease> lease;  // null without a budget
    std::size_t expected = 0;
    std::size_t running = 0;
    std::exception_ptr error;
    asio::steady_timer done;  // cancelled when the last worker of a wave finishes

    void fail(const NrqlResult& r) {
        if (result.status != FetchStatus::found) return;  // keep the first failure
        result.status = r.status;
        result.message = r.message;
    }
    void add_page(NrqlAnswer answer) {
        result.rows += answer.row_count;
        result.pages.push_back(std::move(answer.rows_json));
        if (progress) progress({result.rows, expected, {}});
    }
};

namespace {

constexpr std::size_t kMaxTraceSpans = 2'000'000;  // the readers' own limit (ReadOptions)

// Completion of one page worker: remembers the first exception, wakes the wave when all are done.
struct WorkerDone {
    std::shared_ptr<PageRun> run;
    void operator()(const std::exception_ptr& e) const {
        if (e && !run->error) run->error = e;
        if (--run->running == 0) run->done.cancel();
    }
};

std::string account_list(const std::vector<std::int64_t>& accounts) {
    return fmt::format("{}", fmt::join(accounts, ", "));
}

}  // namespace

NerdGraphTraceSource::NerdGraphTraceSource(
    http::Client& http, NewRelicConfig config, WallClock clock, Offload offload, SpanBudget* budget
)
    : client_(http, std::move(config)),
      clock_(std::move(clock)),
      offload_(std::move(offload)),
      budget_(budget) {
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

asio::awaitable<void> NerdGraphTraceSource::page_worker(
    std::vector<std::int64_t> accounts, std::vector<std::string> ids, std::shared_ptr<PageRun> run
) {
    const auto& cfg = client_.config();
    const auto executor = co_await asio::this_coro::executor;
    while (!run->todo.empty() && run->result.status == FetchStatus::found) {
        const TimeWindow window = run->todo.front();
        run->todo.pop_front();
        auto nrql = span_rows_nrql(ids, cfg.lookback, window);
        auto page = co_await client_.query(accounts, nrql.value());
        if (page.status != FetchStatus::found) {
            run->fail(page);
            co_return;
        }
        ++run->result.queries;
        if (page.answer.row_count >= cfg.row_limit) {
            if (auto halves = split_window(window)) {  // full page: ask again in halves
                run->todo.push_back(halves->first);
                run->todo.push_back(halves->second);
                // Keep the concurrency: another worker takes one half while this one goes on.
                if (run->running < std::max<std::size_t>(1, cfg.max_concurrency)) {
                    ++run->running;
                    // No co_await in this statement: GCC 12 destroys the temporaries of a full
                    // expression that suspends twice (a double release of `run`).
                    asio::co_spawn(executor, page_worker(accounts, ids, run), WorkerDone{run});
                }
                continue;
            }
            run->result.notes.push_back(fmt::format(
                "more than {} spans share the millisecond {}: New Relic returned only {} of them",
                cfg.row_limit,
                window.from_ms,
                page.answer.row_count
            ));
        }
        run->add_page(std::move(page.answer));
    }
}

asio::awaitable<void> NerdGraphTraceSource::run_pages(
    std::vector<std::int64_t> accounts, std::vector<std::string> ids, std::shared_ptr<PageRun> run
) {
    const auto ex = co_await asio::this_coro::executor;
    // Waves: workers drain the queue; halves queued by the last ones start another wave.
    while (!run->todo.empty() && run->result.status == FetchStatus::found && !run->error) {
        const auto workers =
            std::min(std::max<std::size_t>(1, client_.config().max_concurrency), run->todo.size());
        run->running += workers;
        run->done.expires_at(asio::steady_timer::time_point::max());
        for (std::size_t i = 0; i < workers; ++i) {
            asio::co_spawn(ex, page_worker(accounts, ids, run), WorkerDone{run});
        }
        boost::system::error_code ec;
        if (run->running > 0) {
            co_await run->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    if (run->error) std::rethrow_exception(run->error);
}

asio::awaitable<void> NerdGraphTraceSource::fetch_group(
    std::vector<std::int64_t> accounts, std::vector<std::string> ids, std::shared_ptr<PageRun> run
) {
    const auto& cfg = client_.config();
    auto rows_query = span_rows_nrql(ids, cfg.lookback, std::nullopt).value();
    auto first = co_await client_.query(accounts, std::move(rows_query));
    if (first.status != FetchStatus::found) co_return run->fail(first);
    ++run->result.queries;
    if (first.answer.row_count < cfg.row_limit) {
        auto holding = hold_spans(run, first.answer.row_count, true);  // named: GCC 12
        if (!co_await std::move(holding)) co_return;
        run->expected += first.answer.row_count;
        co_return run->add_page(std::move(first.answer));
    }

    // A full page means more rows exist: count them, then page by time windows.
    auto stats_query = span_stats_nrql(ids, cfg.lookback).value();
    auto stats = co_await client_.query(accounts, std::move(stats_query));
    if (stats.status != FetchStatus::found) co_return run->fail(stats);
    auto parsed = parse_span_stats(stats.answer.rows_json);
    if (!parsed) {
        NrqlResult bad;
        bad.status = FetchStatus::unavailable;
        bad.message = parsed.error();
        co_return run->fail(bad);
    }
    if (parsed->count > kMaxTraceSpans) {
        NrqlResult big;
        big.status = FetchStatus::failed;
        big.message = fmt::format(
            "the trace has {} spans; at most {} are analysed", parsed->count, kMaxTraceSpans
        );
        co_return run->fail(big);
    }
    first = {};  // its rows are asked for again by window: not held twice while waiting for room
    auto holding = hold_spans(run, parsed->count, false);  // named: GCC 12
    if (!co_await std::move(holding)) co_return;
    run->expected += parsed->count;
    if (run->progress) run->progress({run->result.rows, run->expected, {}});
    for (const auto& w : plan_windows(*parsed, cfg.row_limit)) run->todo.push_back(w);
    co_await run_pages(accounts, ids, run);
}

asio::awaitable<bool> NerdGraphTraceSource::hold_spans(
    std::shared_ptr<PageRun> run, std::size_t more, bool fetched
) {
    if (!run->lease) co_return true;
    const auto total = run->expected + more;
    Result<std::size_t> held = make_error("");
    if (fetched) {
        held = budget_->take(*run->lease, total);
    } else {
        // Not in a conditional expression: GCC 12 destroys its temporaries twice around a co_await.
        auto reserving = budget_->reserve(*run->lease, total);
        held = co_await std::move(reserving);
    }
    if (held) co_return true;
    NrqlResult refused;
    refused.status = total > budget_->limit() ? FetchStatus::too_large : FetchStatus::unavailable;
    refused.message = held.error();
    run->fail(refused);
    co_return false;
}

asio::awaitable<FetchedRows> NerdGraphTraceSource::fetch_rows(
    std::vector<std::string> ids, ProgressFn progress, std::shared_ptr<SpanBudget::Lease> lease
) {
    const auto executor = co_await asio::this_coro::executor;
    auto run = std::make_shared<PageRun>(executor);
    run->progress = std::move(progress);
    run->lease = std::move(lease);
    run->result.hold = run->lease;
    const auto& cfg = client_.config();
    for (auto& group : account_groups(cfg.accounts, cfg.accounts_per_query)) {
        co_await fetch_group(std::move(group), ids, run);
        if (run->result.status != FetchStatus::found) break;
    }
    co_return std::move(run->result);
}

bool NerdGraphTraceSource::may_still_grow(const TraceTree& tree) const {
    std::int64_t last_end_us = 0;
    for (const auto& s : tree.trace.spans) last_end_us = std::max(last_end_us, s.end_us());
    const auto now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_().time_since_epoch()).count();
    return now_us - last_end_us < std::chrono::microseconds(client_.config().late_window).count();
}

namespace {

std::string incomplete_reason(const AssemblyReport& report) {
    std::vector<std::string> parts;
    if (report.orphans > 0) {
        parts.push_back(fmt::format(
            "{} span{} whose parent never arrived", report.orphans, report.orphans == 1 ? "" : "s"
        ));
    }
    if (report.missing_root) parts.emplace_back("no root span");
    return fmt::format("{}", fmt::join(parts, " and "));
}

FetchResult failure(FetchStatus status, std::string message) {
    FetchResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

// Rows → an assembled tree, with notes on how they were fetched.
FetchResult build_result(FetchedRows rows) {
    // Page by page, each freed once read: a 300k-span trace's pages are ~300 MB.
    auto trace = read_row_pages(std::move(rows.pages));
    if (!trace) {
        return failure(
            FetchStatus::failed, fmt::format("could not read New Relic's spans: {}", trace.error())
        );
    }
    FetchResult result;
    result.hold = std::move(rows.hold);
    result.status = FetchStatus::found;
    result.notes = std::move(rows.notes);
    if (rows.queries > 1) {
        result.notes.push_back(
            fmt::format("fetched {} spans from New Relic in {} queries", rows.rows, rows.queries)
        );
    }
    result.tree.emplace(assemble(std::move(trace).value()));
    return result;
}

// The closing notes on completeness after `round` re-queries.
void add_completeness_notes(FetchResult& result, int round) {
    const auto& report = result.tree->report;
    if (round > 0) {
        result.notes.push_back(fmt::format(
            "asked New Relic {} more time{} for late spans", round, round == 1 ? "" : "s"
        ));
    }
    if (report.complete()) return;
    result.notes.push_back(
        round > 0 ? fmt::format(
                        "still incomplete ({}): the missing spans were probably dropped "
                        "by sampling or belong to an account not in NEW_RELIC_ACCOUNT_ID",
                        incomplete_reason(report)
                    )
                  : fmt::format(
                        "incomplete ({}); the trace is too old for late spans to arrive, "
                        "so they were probably dropped by sampling or belong to another "
                        "account",
                        incomplete_reason(report)
                    )
    );
}

}  // namespace

asio::awaitable<FetchResult> NerdGraphTraceSource::fetch(TraceQuery query, ProgressFn progress) {
    const auto& cfg = client_.config();
    std::vector<std::string> ids{query.trace_id};
    ids.insert(ids.end(), query.alternates.begin(), query.alternates.end());
    for (const auto& id : ids) {
        if (!is_query_safe_trace_id(id)) co_return failure(FetchStatus::failed, "not a trace id");
    }
    std::optional<FetchResult> previous;  // the last usable (incomplete) answer
    // One lease for every round: a re-query grows it at once instead of waiting for itself.
    auto lease = budget_ != nullptr ? std::make_shared<SpanBudget::Lease>(*budget_) : nullptr;
    for (int round = 0;; ++round) {
        auto rows = co_await fetch_rows(ids, progress, lease);
        if (rows.status != FetchStatus::found || rows.rows == 0) {
            if (previous) {  // asking again failed: what we had is still worth showing
                add_completeness_notes(*previous, round - 1);
                previous->notes.push_back(fmt::format(
                    "asking again for late spans failed: {}",
                    rows.rows == 0 && rows.status == FetchStatus::found ? "no spans" : rows.message
                ));
                co_return std::move(*previous);
            }
            if (rows.status != FetchStatus::found) co_return failure(rows.status, rows.message);
            co_return failure(
                FetchStatus::not_found,
                fmt::format(
                    "no spans for trace {} in the last {} hours of account "
                    "{}: not sampled, too old, or in another account (a "
                    "request from the last two minutes may not be written "
                    "yet: try again shortly)",
                    query.trace_id,
                    cfg.lookback.count(),
                    account_list(cfg.accounts)
                )
            );
        }
        const std::size_t fetched = rows.rows;
        FetchResult result;
        // Not a coroutine: it may run on the CPU pool while this frame waits for it.
        std::function<void()> build = [&result, &rows] { result = build_result(std::move(rows)); };
        auto built = run_offloaded(offload_, std::move(build));  // named: GCC 12 temporaries
        co_await std::move(built);
        if (result.status != FetchStatus::found) co_return result;
        const auto& report = result.tree->report;
        const bool done =
            report.complete() || round >= cfg.requeries || !may_still_grow(*result.tree);
        if (done) {
            add_completeness_notes(result, round);
            co_return result;
        }
        const auto reason = incomplete_reason(report);
        previous = std::move(result);
        log::info(
            "trace {} incomplete ({}); asking New Relic again in {} ms",
            query.trace_id,
            reason,
            cfg.requery_delay.count()
        );
        if (progress) {
            FetchProgress waiting;
            waiting.fetched = fetched;
            waiting.waiting = fmt::format(
                "incomplete ({}); spans can arrive late, asking again in {} s",
                reason,
                std::chrono::duration_cast<std::chrono::seconds>(cfg.requery_delay).count()
            );
            progress(waiting);
        }
        const auto executor = co_await asio::this_coro::executor;
        asio::steady_timer timer(executor, cfg.requery_delay);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace nra::newrelic
