// ContextSource port: the incident context of one trace — its log lines, the counts behind its
// blast radius, typical requests of its endpoint and deployments of its services (New Relic
// NerdGraph NRQL over Log, Span, Deployment and ChangeTrackingEvent events, or the demo dataset).
// Each call is an extra beside the analysis: it gets its own deadline and answers within it.
// Expected outcomes (timed out, rate limited, no logs) are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nra/analysis/incident_context.hpp"
#include "nra/analysis/typical.hpp"
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

// Candidates for "a typical request of this endpoint": error-free requests with the same root
// operation from the baseline window, nearest the median duration first.
struct TypicalQuery {
    std::string service;       // the root span's
    std::string name;          // the root span's
    std::string trace_id;      // this request: never a candidate
    std::int64_t from_ms = 0;  // the baseline window
    std::int64_t to_ms = 0;
    std::chrono::milliseconds deadline{15'000};
};

struct TypicalCandidate {
    std::string trace_id;
    double duration_ms = 0;
};

struct TypicalResult {
    FetchStatus status = FetchStatus::failed;  // found, also with no candidate
    std::string message;                       // one line for the user when status != found
    std::vector<TypicalCandidate> candidates;  // nearest the median first, at most a few
};

// Deployments of this request's services (change tracking, deployment markers) in a window.
struct ChangeQuery {
    std::vector<std::string> services;
    // entity.guid → service, for markers that name only the entity's GUID
    std::vector<std::pair<std::string, std::string>> guids;
    std::int64_t from_ms = 0;  // the request's start minus a day
    std::int64_t to_ms = 0;    // its end
    std::chrono::milliseconds deadline{15'000};
};

struct ChangeResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;
    std::vector<DeploymentEvent> events;  // newest first, at most kMaxDeploymentEvents
    bool truncated = false;               // there were more than were fetched
};

inline constexpr std::size_t kMaxDeploymentEvents = 200;

class ContextSource {
public:
    virtual ~ContextSource() = default;
    virtual boost::asio::awaitable<LogResult> logs(LogQuery query) = 0;
    virtual boost::asio::awaitable<BlastResult> blast_radius(BlastQuery query) = 0;
    virtual boost::asio::awaitable<TypicalResult> typical(TypicalQuery query) = 0;
    virtual boost::asio::awaitable<ChangeResult> changes(ChangeQuery query) = 0;
};

}  // namespace nra
