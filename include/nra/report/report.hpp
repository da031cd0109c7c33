// The /improve report: endpoints that break their thresholds or burn SLO budget, ranked by
// impact, compared with the previous window, with reasons found in their slowest traces.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"

namespace nra {

struct Breach {
    std::string metric;  // "p95_ms", "error_rate", "apdex", "slo:<name>"
    double value = 0;
    double threshold = 0;
    // Hysteresis: a breach of the previous window stays "open" until the value is below
    // threshold × hysteresis, so automatic tickets do not flap. `lingering`: this breach is such
    // an open one (the value is already within the threshold, but not yet clear of the band).
    bool lingering = false;
};

enum class Change { new_breach, worse, better, same, fixed };

// One reason grounded in the slowest sampled traces, aggregated over the samples.
struct Suggestion {
    std::string kind;     // finding kind, e.g. "n_plus_one_db", "slow_db", "sequential_calls"
    std::string service;  // where it happens
    std::string what;     // the statement, downstream call or span name
    int traces_with = 0;  // in how many of the sampled traces it appears
    int traces_sampled = 0;
    double total_ms = 0;   // time it cost, summed over the samples
    double saving_ms = 0;  // estimated saving per request
    std::string advice;    // what to do, one sentence
    std::string code_url;  // link to the source when spans carry code.* attributes
};

struct EndpointReport {
    EndpointStats stats;
    std::optional<EndpointStats> previous;
    Thresholds thresholds;
    std::vector<Breach> breaches;
    double impact = 0;  // ranking score, see report_build.hpp (docs/improve.md: "Ranking")
    // Which budget `impact` measures: "error_budget", "latency_budget", "excess_latency",
    // "dissatisfaction"; empty when impact is 0.
    std::string impact_basis{};
    double time_share = 0;  // count × avg over the service's total (New Relic "Total % time")
    Change change = Change::same;
    bool low_traffic = false;  // below min_throughput_rpm: listed, not judged
    std::vector<Suggestion> suggestions;
    std::vector<std::string> sample_trace_ids;  // the traces the suggestions came from
};

struct SloReport {
    std::string name;
    SloKind kind = SloKind::availability;
    double target = 0;
    int window_days = 0;
    std::optional<double> attainment;        // good / total over the window; nullopt: no data
    std::optional<double> budget_remaining;  // 1 − (bad/total)/(1 − target); may be negative
    std::optional<double> burn_rate;         // recent bad ratio / (1 − target)
    std::string problem;                     // set when it could not be computed
};

struct Report {
    std::string service;
    ServiceKind kind = ServiceKind::apm;
    ReportWindow window;
    std::vector<EndpointReport> endpoints;  // breaching first, by impact descending
    std::vector<SloReport> slos;
    std::size_t judged = 0;           // endpoints with enough traffic to judge
    std::size_t breaching = 0;        // endpoints with at least one breach
    std::size_t low_traffic = 0;      // endpoints listed but not judged (too little traffic)
    std::size_t total_endpoints = 0;  // all endpoints of the window, before the cut to the top N
    // Breaching endpoints per metric ("p95_ms", "error_rate", "apdex"), over all endpoints.
    std::map<std::string, std::size_t> breaches_by_metric{};
    std::vector<std::string> notes;  // e.g. "New Relic's facet limit: 5,000 endpoints shown"
};

}  // namespace nra
