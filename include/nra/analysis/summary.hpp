// Summary: everything the renderers need, computed once per trace. Field names follow the Summary
// JSON contract in PRODUCT.md. Plain owned values (safe to keep after the tree is gone).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nra/analysis/baseline.hpp"
#include "nra/analysis/incident_context.hpp"
#include "nra/analysis/suspects.hpp"
#include "nra/analysis/typical.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/detectors/detectors.hpp"
#include "nra/detectors/finding.hpp"

namespace nra {

struct SpanBrief {
    std::string span_id;
    std::string service;
    std::string name;
    double duration_ms = 0;
};

struct ServiceStat {
    std::string service;
    int span_count = 0;
    double self_ms = 0;
    int error_count = 0;
};

struct OperationStat {
    std::string service;
    std::string name;
    int count = 0;
    double total_ms = 0;
    double self_ms = 0;
};

struct PathSegment {
    std::string span_id;
    std::string service;
    std::string name;
    double start_ms = 0;  // relative to the trace start
    double duration_ms = 0;
    int depth = 0;
    std::optional<Baseline> baseline{};  // the span's verdict, once baselines are applied
};

// The critical path as a person reads it: one row per span on it (its sections merged), and
// runs of identical sibling rows (an N+1 loop) folded into one row with `count`. A row shows the
// whole span (as the picture draws it) and marks the part of it on the critical path.
struct PathRow {
    std::string service;
    std::string name;
    int depth = 0;
    int count = 1;           // > 1: this many consecutive identical siblings folded together
    double start_ms = 0;     // where the row's (first) span started, relative to the trace start
    double duration_ms = 0;  // the whole span: first start to last end of the folded spans
    std::string span_id;     // the first span of the row
    // Once baselines are applied: the verdict of the row's slowest span (slower when any folded
    // span is), with unusual_ms summed over the row.
    std::optional<Baseline> baseline{};
    double path_ms = 0;  // time on the critical path, summed over folded spans
    // The row's stretches of the critical path, [from, to) in ms relative to the trace start. One
    // may begin before the span did: the wait between a producer's end and its consumer's start
    // (a queue) is the consumer's.
    std::vector<std::pair<double, double>> path_parts;
};

struct SlowSpan {
    std::string span_id;
    std::string service;
    std::string name;
    double duration_ms = 0;
    double self_ms = 0;
    std::optional<Baseline> baseline{};
};

struct ErrorInfo {
    std::string span_id;
    std::string service;
    std::string name;
    std::string message;
    std::string error_class;
    int http_status = 0;
    bool origin = false;  // the deepest failing span whose failure propagated up
};

struct Summary {
    std::string trace_id;
    bool complete = true;
    int span_count = 0;
    int service_count = 0;
    double duration_ms = 0;
    std::int64_t start_us = 0;  // epoch µs of the trace start
    SpanBrief root;
    std::string request;                     // e.g. "GET /checkout" (root's route or name)
    std::vector<std::string> path;           // distinct services, first appearance on the path
    std::vector<ServiceStat> services;       // by self_ms desc
    std::vector<OperationStat> operations;   // by self_ms desc
    std::vector<PathSegment> critical_path;  // time order
    std::vector<PathRow> path_rows;          // time order, folded (for waterfalls)
    std::vector<SlowSpan> slow_spans;        // by self_ms desc
    std::vector<ErrorInfo> errors;           // origin first
    std::vector<Finding> findings;           // by saving desc
    AssemblyReport assembly;
    std::vector<std::string> notes;  // repairs and warnings, plain sentences
    BaselineOverview baseline;       // usual durations (see baseline_apply.hpp)
    // Incident context (incident_context.hpp), once a ContextSource answered: the trace's log
    // lines (errors first) and its blast radius; `context` says what did not arrive.
    std::vector<LogLine> logs;
    std::optional<BlastRadius> blast_radius;
    ContextNotes context;
    // Where the fault most likely is (suspects.hpp), ranked; empty with the reason in
    // suspects_note ("Inconclusive: …"). Recomputed once baselines are applied.
    std::vector<Suspect> suspects;
    std::string suspects_note;
    // Against a typical request of the same endpoint, and what changed (typical.hpp), once the
    // ContextSource answered; `context` says what did not arrive.
    std::optional<TypicalComparison> typical;
    std::vector<TraceChange> changes;
};

struct AnalysisOptions {
    DetectorThresholds thresholds;
    std::size_t max_slow_spans = 10;
    std::size_t max_errors = 20;
    std::size_t max_operations = 20;
};

Summary summarize(const TraceTree& tree, const AnalysisOptions& options = {});

}  // namespace nra
