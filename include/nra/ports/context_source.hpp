// ContextSource port: the incident context of one trace — its log lines and the counts behind
// its blast radius (New Relic NerdGraph NRQL over Log and Span events, or the demo dataset).
// Each call is an extra beside the analysis: it gets its own deadline and answers within it.
// Expected outcomes (timed out, rate limited, no logs) are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "nra/analysis/incident_context.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra {

struct LogQuery {
    std::string trace_id;      // validated lower-case hex
    std::int64_t from_ms = 0;  // the trace's start minus a margin
    std::int64_t to_ms = 0;    // its end plus a margin
    std::size_t max_lines = kMaxLogLines;
    std::chrono::milliseconds deadline{15'000};  // the whole call, retries included
};

struct LogResult {
    FetchStatus status = FetchStatus::failed;  // found, also with no line
    std::string message;         // one line for the user when status != found; no secrets
    std::vector<LogLine> lines;  // as stored; the caller orders them (order_log_lines)
    bool truncated = false;      // the trace has more lines than were fetched
};

struct BlastQuery {
    BlastSubject subject;
    std::int64_t until_ms = 0;  // now
    int window_minutes = 60;
    int bucket_minutes = 5;
    std::chrono::milliseconds deadline{15'000};
};

struct BlastResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;  // one line for the user when status != found; no secrets
    BlastSeries series;   // set when found
};

class ContextSource {
public:
    virtual ~ContextSource() = default;
    virtual boost::asio::awaitable<LogResult> logs(LogQuery query) = 0;
    virtual boost::asio::awaitable<BlastResult> blast_radius(BlastQuery query) = 0;
};

}  // namespace nra
