// The steps of assemble(), each a small pure function over the tree under construction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "id_index.hpp"
#include "nra/assemble/assemble.hpp"

namespace nra::assembly {

// Drops spans without an id (counted into report.invalid_spans), clamps negative durations,
// names unnamed services "unknown".
void drop_invalid(Trace& trace, AssemblyReport& report);

// Zipkin: the server half of a shared client/server id gets its own id; its children follow it.
// Then other duplicate ids: exact copies are dropped, different spans are re-keyed "<id>#2"….
// Returns the index of the final, unique ids.
IdIndex resolve_duplicate_ids(Trace& trace, AssemblyReport& report);

// parent[i] from parent ids; -1 for roots and orphans (orphan_flags set). Breaks self-links and
// cycles (the earliest span of a cycle loses its parent) so that every chain ends.
void link_parents(
    const Trace& trace,
    const IdIndex& index,
    std::vector<std::int32_t>& parent,
    std::vector<char>& orphan_flags,
    AssemblyReport& report
);

// Chooses the root, attaching orphans and extra roots to it (or to a synthetic root when the
// real root is missing). Returns the root index.
std::int32_t choose_root(
    Trace& trace,
    std::vector<std::int32_t>& parent,
    const std::vector<char>& orphan_flags,
    std::vector<char>& attached,
    AssemblyReport& report
);

// CSR children sorted by (start, id), depth and pre-order; iterative.
void build_children(TraceTree& tree);

// 1,000 µs when at least 90 % of the spans start on a whole millisecond (New Relic), else 0.
std::int64_t timestamp_resolution(const Trace& trace);

// A root that reported no duration (unfinished span) is stretched over its children.
void extend_empty_root(TraceTree& tree);

// Jaeger's clock-skew rule over the pre-order; shifts start_us only. Returns true when a span
// moved (children must then be re-sorted).
bool adjust_clock_skew(TraceTree& tree, const AssemblyOptions& options);

// Counts blocking children whose interval is not within their parent's.
void count_children_outside(TraceTree& tree);

std::string plural(int n, const char* one, const char* many);

}  // namespace nra::assembly
