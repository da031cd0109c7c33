#include <algorithm>
#include <optional>

#include "nra/analysis/analysis.hpp"

namespace nra {
namespace {

struct Interval {
    std::int64_t start = 0;
    std::int64_t end = 0;
    bool dropped = false;
};

// How far each span's work reaches: its own end, or later through children that may outlive it
// (a consumer that runs after its producer returned, a fragment attached by assembly).
std::vector<std::int64_t> reach_ends(const TraceTree& tree) {
    std::vector<std::int64_t> reach(tree.size());
    for (std::size_t i = 0; i < tree.size(); ++i) reach[i] = tree.trace.spans[i].end_us();
    for (auto it = tree.order.rbegin(); it != tree.order.rend(); ++it) {  // children first
        const auto i = static_cast<std::size_t>(*it);
        const auto p = tree.parent[i];
        if (p < 0) continue;
        const bool extends =
            tree.may_outlive_parent(*it) || reach[i] > tree.trace.spans[i].end_us();
        if (extends)
            reach[static_cast<std::size_t>(p)] =
                std::max(reach[static_cast<std::size_t>(p)], reach[i]);
    }
    return reach;
}

// Jaeger's sanitizeOverFlowingChildren: asynchronous branches and children entirely outside their
// (already clamped) parent are dropped with their subtrees; overflowing ones are clamped. When
// the root's work reaches past its end (`reach`: an asynchronous trace, e.g. a 26 µs `poll` root
// whose consumers run for 600 ms) the walk covers that reach instead: children that outlive their
// parent are kept up to where their work reaches, and the wait between a parent's end and such a
// child's start (a queue) is the child's.
std::vector<Interval> clamp_to_parents(
    const TraceTree& tree, const std::vector<std::int64_t>* reach
) {
    std::vector<Interval> iv(tree.size());
    for (const auto i : tree.order) {
        const auto u = static_cast<std::size_t>(i);
        const Span& s = tree.span(i);
        Interval& cur = iv[u];
        cur = {s.start_us, reach != nullptr ? (*reach)[u] : s.end_us(), false};
        const auto p = tree.parent[u];
        if (p < 0) continue;
        const Interval& par = iv[static_cast<std::size_t>(p)];
        const std::int64_t parent_end = tree.span(p).end_us();
        const bool outlives = reach != nullptr && cur.end > parent_end;
        if (outlives && tree.may_outlive_parent(i)) {
            cur.start = std::min(cur.start, parent_end);
        } else if (!tree.is_blocking(i)) {
            cur.dropped = true;
            continue;
        }
        if (par.dropped || cur.start >= par.end || cur.end <= par.start) {
            cur.dropped = true;
            continue;
        }
        cur.start = std::max(cur.start, par.start);
        cur.end = std::min(cur.end, par.end);
    }
    return iv;
}

// Per span, its kept children ordered by clamped end time, latest first; a cursor per span
// advances monotonically because the bound for a span only ever decreases during the walk.
struct EndOrder {
    std::vector<std::int32_t> offsets;
    std::vector<std::int32_t> list;
    std::vector<std::int32_t> cursor;
};

EndOrder order_by_end(const TraceTree& tree, const std::vector<Interval>& iv) {
    EndOrder eo;
    eo.offsets.assign(tree.size() + 1, 0);
    eo.list.reserve(tree.child_list.size());
    for (std::size_t i = 0; i < tree.size(); ++i) {
        eo.offsets[i] = static_cast<std::int32_t>(eo.list.size());
        const auto first = eo.list.size();
        for (const auto c : tree.children(static_cast<std::int32_t>(i))) {
            if (!iv[static_cast<std::size_t>(c)].dropped) eo.list.push_back(c);
        }
        std::stable_sort(
            eo.list.begin() + static_cast<std::ptrdiff_t>(first),
            eo.list.end(),
            [&](std::int32_t a, std::int32_t b) {
                return iv[static_cast<std::size_t>(a)].end > iv[static_cast<std::size_t>(b)].end;
            }
        );
    }
    eo.offsets[tree.size()] = static_cast<std::int32_t>(eo.list.size());
    eo.cursor.assign(eo.offsets.begin(), eo.offsets.end() - 1);
    return eo;
}

// New Relic stores span starts in milliseconds, so back-to-back calls can overlap by up to a
// millisecond after rounding; within that slack (the tree's resolution) they still count as
// sequential. Traces with finer timestamps (Jaeger, Zipkin, OTLP) get none: touching children only.

// The last-finishing child of `span` that ends at or before `bound` (plus the slack), consumed so
// that it is never walked twice (a zero-length child would otherwise be found again).
std::optional<std::int32_t> last_finishing_child(
    EndOrder& eo,
    const std::vector<Interval>& iv,
    std::int32_t span,
    std::int64_t bound,
    std::int64_t slack
) {
    auto& cur = eo.cursor[static_cast<std::size_t>(span)];
    const auto stop = eo.offsets[static_cast<std::size_t>(span) + 1];
    while (cur < stop && iv[static_cast<std::size_t>(eo.list[static_cast<std::size_t>(cur)])].end >
                             bound + slack) {
        ++cur;
    }
    if (cur >= stop) return std::nullopt;
    return eo.list[static_cast<std::size_t>(cur++)];
}

void emit(
    std::vector<CriticalSection>& out, std::int32_t span, std::int64_t start, std::int64_t end
) {
    if (end <= start) return;
    if (!out.empty() && out.back().span == span && out.back().start_us == end) {
        out.back().start_us = start;  // merge with the later section of the same span
        return;
    }
    out.push_back({span, start, end});
}

}  // namespace

std::vector<CriticalSection> critical_path(const TraceTree& tree) {
    std::vector<CriticalSection> out;
    if (tree.root < 0) return out;
    const auto reach = reach_ends(tree);
    const bool beyond_root =
        reach[static_cast<std::size_t>(tree.root)] > tree.span(tree.root).end_us();
    const auto iv = clamp_to_parents(tree, beyond_root ? &reach : nullptr);
    auto eo = order_by_end(tree, iv);
    const std::int64_t slack = tree.resolution_us;
    std::int32_t cur = tree.root;
    // `bound`: the end of the time still to explain inside `cur` (its end, or the start of the
    // child we just climbed out of). It only ever decreases for a given span.
    std::int64_t bound = iv[static_cast<std::size_t>(tree.root)].end;
    while (true) {
        const Interval& span = iv[static_cast<std::size_t>(cur)];
        if (auto lfc = last_finishing_child(eo, iv, cur, bound, slack)) {
            const std::int64_t child_end = std::min(iv[static_cast<std::size_t>(*lfc)].end, bound);
            emit(out, cur, child_end, bound);
            cur = *lfc;
            bound = child_end;
            continue;
        }
        emit(out, cur, std::min(span.start, bound), bound);
        if (cur == tree.root) break;
        bound = std::min(span.start, bound);
        cur = tree.parent[static_cast<std::size_t>(cur)];
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace nra
