// TraceSource over NerdGraph: every Span row of a trace, across accounts (cross-account nrql() in
// groups of 5), paged by time windows above 5,000 rows with pages fetched concurrently, and
// asked again after a delay while a recent trace still misses spans (they arrive up to ~90 s late).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "newrelic/nerdgraph_client.hpp"
#include "newrelic/span_budget.hpp"
#include "nra/ports/offload.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra::newrelic {

struct PageRun;  // shared state of one paged fetch (nerdgraph_trace_source.cpp)

// The rows of one trace as fetched, before reading.
struct FetchedRows {
    FetchStatus status = FetchStatus::found;
    std::string message;
    std::vector<std::string> pages;  // raw JSON arrays of Span rows
    std::size_t rows = 0;
    std::size_t queries = 0;           // NRQL queries that returned rows or counts
    std::vector<std::string> notes;    // e.g. rows New Relic could not page apart
    std::shared_ptr<const void> hold;  // the span budget lease these rows are counted in
};

class NerdGraphTraceSource final : public TraceSource {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    // `offload` reads and assembles the fetched rows (CPU-heavy for big traces) off the I/O thread.
    // `budget` (optional, shared by every fetch of the process) bounds the spans held at once.
    NerdGraphTraceSource(
        http::Client& http,
        NewRelicConfig config,
        WallClock clock = {},
        Offload offload = {},
        SpanBudget* budget = nullptr
    );

    boost::asio::awaitable<FetchResult> fetch(TraceQuery query, ProgressFn progress) override;

    // Exposed for tests and the benchmark: one full fetch of the rows, no re-query.
    // `lease` (with a budget) counts the spans, and may grow across calls: one per fetch.
    boost::asio::awaitable<FetchedRows> fetch_rows(
        std::vector<std::string> ids,
        ProgressFn progress,
        std::shared_ptr<SpanBudget::Lease> lease = nullptr
    );

private:
    boost::asio::awaitable<void> fetch_group(
        std::vector<std::int64_t> accounts,
        std::vector<std::string> ids,
        std::shared_ptr<PageRun> run
    );
    boost::asio::awaitable<void> run_pages(
        std::vector<std::int64_t> accounts,
        std::vector<std::string> ids,
        std::shared_ptr<PageRun> run
    );
    boost::asio::awaitable<void> page_worker(
        std::vector<std::int64_t> accounts,
        std::vector<std::string> ids,
        std::shared_ptr<PageRun> run
    );
    bool may_still_grow(const TraceTree& tree) const;
    boost::asio::awaitable<bool> hold_spans(
        std::shared_ptr<PageRun> run, std::size_t more, bool fetched
    );

    NerdGraphClient client_;
    WallClock clock_;
    Offload offload_;
    SpanBudget* budget_;
};

}  // namespace nra::newrelic
