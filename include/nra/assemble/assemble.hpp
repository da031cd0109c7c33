// Trace assembly: turns a bag of spans into a tree, repairing what real traces get wrong
// (orphans, several roots, duplicate ids, cycles, children outside their parent, clock skew) and
// reporting every repair. Iterative throughout: no recursion on span depth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nra/span.hpp"

namespace nra {

struct AssemblyOptions {
    bool adjust_clock_skew = true;
    std::int64_t max_skew_adjust_us =
        1'000'000;  // larger deltas are reported, not applied (Jaeger v1)
};

struct AssemblyReport {
    int orphans = 0;                  // parent id not in the trace (attached to the root)
    int extra_roots = 0;              // spans without a parent besides the chosen root
    int duplicate_ids = 0;            // later copies dropped (Zipkin shared ids are re-keyed)
    int cycles_broken = 0;            // parent links removed to break a cycle
    int children_outside_parent = 0;  // child interval not within its parent's (after skew)
    int skew_adjusted = 0;            // spans shifted by clock-skew adjustment
    int invalid_spans = 0;            // dropped: no id
    bool missing_root = false;        // no span without a parent: the true root never arrived
    bool root_extended = false;       // the root reported no duration: stretched over its children
    std::vector<std::string> notes;  // plain sentences, e.g. "12 orphan spans attached to the root"

    bool complete() const { return orphans == 0 && !missing_root; }
};

// A Trace whose spans are arranged as a tree. Index-based: parent[i] is -1 only for the root.
// Every span is reachable from root (orphans and extra roots are attached to it).
struct TraceTree {
    Trace trace;
    std::vector<std::int32_t> parent;
    std::vector<std::int32_t> child_offsets;  // CSR: children of i are
    std::vector<std::int32_t> child_list;     // child_list[child_offsets[i] .. child_offsets[i+1])
    std::vector<std::int32_t> depth;
    std::vector<std::int32_t> order;  // pre-order from the root: parents before children
    // 1 when parent[i] was chosen by assembly (orphan, extra root, broken cycle), not reported by
    // the span itself: such an edge is not evidence of a call (no skew correction, no "handled").
    std::vector<char> attached;
    std::int32_t root = -1;  // -1 only for an empty trace
    // How exact the timestamps are: 1,000 µs when (nearly) every start is a whole millisecond (New
    // Relic stores milliseconds), else 0. Overlaps and overflows within it are rounding, not skew.
    std::int64_t resolution_us = 0;
    AssemblyReport report;

    std::size_t size() const { return trace.spans.size(); }
    const Span& span(std::int32_t i) const { return trace.spans[static_cast<std::size_t>(i)]; }
    // Children sorted by start time.
    struct Range {
        const std::int32_t* b;
        const std::int32_t* e;
        const std::int32_t* begin() const { return b; }
        const std::int32_t* end() const { return e; }
        std::size_t size() const { return static_cast<std::size_t>(e - b); }
        bool empty() const { return b == e; }
    };
    Range children(std::int32_t i) const {
        const auto* base = child_list.data();
        return {
            base + child_offsets[static_cast<std::size_t>(i)],
            base + child_offsets[static_cast<std::size_t>(i) + 1]};
    }
    // True when the edge parent→i is synchronous (not FOLLOWS_FROM, not producer→consumer).
    bool is_blocking(std::int32_t i) const;
    // True when span i's parent did not wait for it, so its work may outlive the parent's: an
    // asynchronous edge, one attached by assembly (no call is known), or a messaging span that
    // ended after its parent had (a Kafka `on-message` under a 26 µs consumer `poll`).
    bool may_outlive_parent(std::int32_t i) const;
};

TraceTree assemble(Trace trace, const AssemblyOptions& options = {});

}  // namespace nra
