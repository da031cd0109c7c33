// Detectors: Sentry-style span-pattern heuristics run across every service of a trace, each
// finding carrying an estimated saving. Thresholds start at Sentry's defaults (reference §1.2).
#pragma once

#include <cstdint>
#include <vector>

#include "nra/assemble/assemble.hpp"
#include "nra/detectors/finding.hpp"

namespace nra {

struct DetectorThresholds {
    // n_plus_one_db: same statement shape repeated under one parent
    int n_plus_one_db_min_count = 5;
    double n_plus_one_db_min_total_ms = 50.0;
    // n_plus_one_http: same endpoint (method + host + parameterized path) under one parent
    int n_plus_one_http_min_count = 5;
    double n_plus_one_http_min_total_ms = 100.0;
    // sequential_calls: independent sequential client calls that could run in parallel
    int sequential_min_count = 3;
    double sequential_min_span_ms = 30.0;
    double sequential_max_gap_ms = 500.0;
    double sequential_min_saving_ms = 100.0;
    // slow_db: one datastore span
    double slow_db_ms = 500.0;
    // retries: same call repeated after a failure
    int retries_min_attempts = 2;
    // uninstrumented_gap: parent self time between children
    double gap_min_ms = 100.0;
    double gap_min_share = 0.2;  // of the parent's duration
    // call_gap: a client span longer than its server span (time between caller and callee)
    double call_gap_min_ms = 20.0;
    double call_gap_min_share = 0.3;  // of the client span
    std::size_t max_findings = 20;
    std::size_t max_span_ids = 50;  // per finding; `count` keeps the full number
};

// A span that calls another service: client or producer (or an HTTP span of unknown kind).
bool calls_out(const Span& span);
// The server side of such a span: its longest blocking child in another service; -1 when it
// reached nothing instrumented (or is no call).
std::int32_t server_side(const TraceTree& tree, std::int32_t i);

// Runs every detector; findings come out sorted by saving_ms (descending), then kind.
std::vector<Finding> detect_all(
    const TraceTree& tree,
    const std::vector<std::int64_t>& self_us,
    const DetectorThresholds& thresholds = {}
);

}  // namespace nra
