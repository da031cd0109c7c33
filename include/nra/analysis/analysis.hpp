// Pure, deterministic analyses over an assembled TraceTree: critical path and self time.
#pragma once

#include <cstdint>
#include <vector>

#include "nra/assemble/assemble.hpp"

namespace nra {

// A section of the critical path: span `span` (not its children) held the request from
// start_us to end_us (epoch µs). Sections are in time order, do not overlap, and their
// durations add up to the root's duration.
struct CriticalSection {
    std::int32_t span = -1;
    std::int64_t start_us = 0;
    std::int64_t end_us = 0;
};

// Jaeger's last-finishing-child walk (reference/trace-analysis.md §2.1): asynchronous branches
// excluded, overflowing children clamped to their parent, children outside it dropped.
std::vector<CriticalSection> critical_path(const TraceTree& tree);

// Self time per span in µs: duration minus the union of its children's intervals (clamped to the
// span; overlapping children counted once; asynchronous children included as in Jaeger).
std::vector<std::int64_t> self_times(const TraceTree& tree);

// How each failing span relates to the failures around it (one entry per span; only failing
// spans have a role). A failure propagates along parent links the spans reported themselves;
// edges attached by assembly (orphans, extra roots) say nothing about who called whom.
struct ErrorRole {
    bool origin = false;    // fails, no child failed, and the failure was not handled
    bool handled = false;   // fails, but its (reported) parent did not: somebody coped
    int levels = 0;         // failing ancestors directly above it, unbroken
    std::int32_t top = -1;  // the highest span of that unbroken failing chain
};

std::vector<ErrorRole> error_roles(const TraceTree& tree);

}  // namespace nra
