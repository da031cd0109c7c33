// MetricsSource port: per-endpoint statistics, SLO counts and slowest sampled traces of a service
// (New Relic NerdGraph, or the embedded demo dataset). Expected outcomes (unknown service, rate
// limited, timed out) are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "nra/analysis/incident_window.hpp"
#include "nra/ports/trace_source.hpp"
#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/slo_review.hpp"

namespace nra {

struct StatsQuery {
    std::string service;
    int window_days = 7;      // this window and the previous one of the same length
    double apdex_t_ms = 500;  // error-aware Apdex: satisfied ≤ T, tolerating ≤ 4T
    double slow_ms = 0;       // > 0: also count requests slower than this (latency SLO)
    std::size_t max_endpoints = 5000;
    // Explicit periods instead of the last window_days and the one before (/incident: the last
    // 30 minutes against the week before yesterday). Used when window.until_ms is set.
    ReportWindow window{};
    ReportWindow usual{};
};

struct StatsResult {
    FetchStatus status = FetchStatus::failed;  // found, not_found (unknown service), …
    std::string message;  // one line for the user when status != found; no secrets
    ServiceStats stats;   // set when found
    std::vector<std::string> did_you_mean;  // not_found: similar service names that have data
};

struct SloResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;
    SloCounts counts;
};

// An SLO's good/bad counts over its last `windows` windows of slo.window_days, ending now.
struct SloHistoryResult {
    FetchStatus status = FetchStatus::failed;  // found even when some windows have no data
    std::string message;                       // one line naming the SLO when status != found
    std::vector<slo::WindowCounts> windows;    // oldest first; total 0 = no data in that window
};

struct TraceIdsResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;
    std::vector<std::string> trace_ids;  // slowest first
};

struct ServiceListResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;
    std::vector<std::string> services;  // services with data in the window, by traffic
};

// Trace ids of some endpoints of a service in a window, for /incident: failed ones, slow ones
// (above the endpoint's usual p99) and typical ones (error-free, at most the usual median).
struct SampleQuery {
    std::string service;
    ReportWindow window;
    std::vector<SampleEndpoint> endpoints;  // at most kMaxSampledEndpoints are asked
    int per_endpoint = 5;                   // ids of each reason per endpoint
};

inline constexpr std::size_t kMaxSampledEndpoints = 20;

struct SampleResult {
    FetchStatus status = FetchStatus::failed;
    std::string message;
    std::vector<WindowSample> samples;  // per endpoint in the query's order, then by reason
};

class MetricsSource {
public:
    virtual ~MetricsSource() = default;
    virtual boost::asio::awaitable<StatsResult> service_stats(StatsQuery query) = 0;
    virtual boost::asio::awaitable<SloResult> slo_counts(SloSpec slo) = 0;
    // Consecutive windows [now − k·W, now − (k−1)·W) for k = windows … 1 (W = slo.window_days):
    // the SLO review's history. Callers clamp `windows` to what New Relic keeps.
    virtual boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec slo, int windows) = 0;
    // The `count` slowest sampled traces of one endpoint in the last `window_days`.
    virtual boost::asio::awaitable<TraceIdsResult> slowest_traces(
        std::string service, std::string endpoint, int count, int window_days
    ) = 0;
    virtual boost::asio::awaitable<ServiceListResult> services(int window_days) = 0;
    virtual boost::asio::awaitable<SampleResult> window_samples(SampleQuery query) = 0;
};

}  // namespace nra
