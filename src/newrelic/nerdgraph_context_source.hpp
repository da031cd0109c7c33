// ContextSource over NerdGraph NRQL (context_queries.hpp): a trace's log lines from `Log` events
// and its blast radius from the subject's `Span` events, in groups of at most 5 accounts per
// nrql(accounts:). Context is an extra beside the analysis: each call answers within the query's
// deadline (the NerdGraph client's budget, retries included) with a short nrql timeout, and the
// blast radius asks its independent queries concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "newrelic/newrelic_config.hpp"
#include "nra/ports/context_source.hpp"

namespace nra::http {
class Client;
}

namespace nra::newrelic {

struct ContextSourceOptions {
    std::chrono::milliseconds default_deadline{15'000};  // for a query that gives none (≤ 0)
    int query_timeout_s = 5;  // NerdGraph nrql(timeout:) (New Relic's minimum)
};

class NerdGraphContextSource final : public ContextSource {
public:
    NerdGraphContextSource(
        http::Client& http, NewRelicConfig config, ContextSourceOptions options = {}
    );

    boost::asio::awaitable<LogResult> logs(LogQuery query) override;
    boost::asio::awaitable<BlastResult> blast_radius(BlastQuery query) override;
    // Defined in nerdgraph_context_changes.cpp.
    boost::asio::awaitable<TypicalResult> typical(TypicalQuery query) override;
    boost::asio::awaitable<ChangeResult> changes(ChangeQuery query) override;

    // What one NRQL query brought back from every account group, or why it did not.
    struct Rows {
        FetchStatus status = FetchStatus::found;
        std::string message;                 // New Relic's failure in plain words
        std::vector<std::string> rows_json;  // one `results` array per account group
        std::size_t most_rows = 0;           // the largest group's row count
    };
    using Deadline = std::chrono::steady_clock::time_point;

private:
    // One query on every account group in turn, each within what is left before `deadline`;
    // stops at the first failure.
    boost::asio::awaitable<Rows> ask(std::string nrql, Deadline deadline);
    boost::asio::awaitable<Rows> ask_group(
        std::vector<std::int64_t> accounts, std::string nrql, std::chrono::milliseconds left
    );
    // `lines` of a full answer with every error and warning line added (severe_nrql), at most
    // `limit`; `lines` alone when that query fails.
    boost::asio::awaitable<std::vector<LogLine>> with_severe_lines(
        std::vector<LogLine> lines, std::string severe_nrql, Deadline deadline, std::size_t limit
    );
    // The usual p99 of the subject over the day before `window_from_ms`; 0 when unknown.
    boost::asio::awaitable<double> usual_p99(
        BlastSubject subject, std::int64_t window_from_ms, Deadline deadline
    );
    Deadline deadline_of(std::chrono::milliseconds asked) const;

    http::Client& http_;
    NewRelicConfig config_;  // nrql timeout replaced by the options'
    ContextSourceOptions options_;
};

}  // namespace nra::newrelic
