#include <fmt/format.h>

#include <cstdlib>

#include "steps.hpp"

namespace nra::assembly {
namespace {

// Spans without a host are grouped by service: one service rarely shares a clock with another.
std::string_view host_key(const Span& s) {
    return s.host.empty() ? s.service : s.host;
}

// Jaeger's rule (reference/trace-analysis.md §2.3), against the already adjusted parent.
std::int64_t skew_delta(const Span& parent, const Span& child) {
    if (child.duration_us > parent.duration_us) {
        return std::max<std::int64_t>(0, parent.start_us - child.start_us);
    }
    if (child.start_us >= parent.start_us && child.end_us() <= parent.end_us()) {
        return 0;
    }
    return parent.start_us + (parent.duration_us - child.duration_us) / 2 - child.start_us;
}

// Within the timestamps' rounding the child is inside its parent: nothing to correct. (Whole
// milliseconds make a child that ends 0.6 ms after its parent look skewed; centring it in the
// parent moved spans by tens of milliseconds.)
bool within_rounding(const Span& parent, const Span& child, std::int64_t resolution) {
    return resolution > 0 && child.start_us >= parent.start_us - resolution &&
           child.end_us() <= parent.end_us() + resolution;
}

}  // namespace

std::int64_t timestamp_resolution(const Trace& trace) {
    std::size_t whole_ms = 0;
    for (const Span& s : trace.spans) whole_ms += s.start_us % 1000 == 0 ? 1 : 0;
    return !trace.spans.empty() && whole_ms * 10 >= trace.spans.size() * 9 ? 1000 : 0;
}

bool adjust_clock_skew(TraceTree& tree, const AssemblyOptions& options) {
    auto& spans = tree.trace.spans;
    std::vector<std::int64_t> delta(spans.size(), 0);
    std::int64_t largest = 0;
    int too_large = 0;
    for (const auto i : tree.order) {  // parents are adjusted before their children
        const auto p = tree.parent[static_cast<std::size_t>(i)];
        if (p < 0) continue;
        Span& child = spans[static_cast<std::size_t>(i)];
        const Span& par = spans[static_cast<std::size_t>(p)];
        std::int64_t d = delta[static_cast<std::size_t>(p)];
        if (tree.attached[static_cast<std::size_t>(i)] != 0) {
            d = 0;  // not a call we know of: nothing to correct against
        } else if (host_key(child).empty() || host_key(child) != host_key(par)) {
            // Asynchronous children may legitimately run after their parent: not skew.
            const bool rounding = within_rounding(par, child, tree.resolution_us);
            d = tree.is_blocking(i) && !rounding ? skew_delta(par, child) : 0;
            if (std::abs(d) > options.max_skew_adjust_us) {
                ++too_large;
                d = 0;
            }
        }
        delta[static_cast<std::size_t>(i)] = d;
        if (d != 0) {
            child.start_us += d;
            ++tree.report.skew_adjusted;
            largest = std::max(largest, std::abs(d));
        }
    }
    if (tree.report.skew_adjusted > 0) {
        tree.report.notes.push_back(fmt::format(
            "{} adjusted for clock skew (largest shift {:.1f} ms)",
            plural(tree.report.skew_adjusted, "span was", "spans were"),
            static_cast<double>(largest) / 1000.0
        ));
    }
    if (too_large > 0) {
        tree.report.notes.push_back(fmt::format(
            "{} would need a clock-skew shift above the limit; left as reported",
            plural(too_large, "span", "spans")
        ));
    }
    return tree.report.skew_adjusted > 0;
}

void count_children_outside(TraceTree& tree) {
    int outside = 0;
    for (std::size_t i = 0; i < tree.parent.size(); ++i) {
        const auto p = tree.parent[i];
        if (p < 0 || !tree.is_blocking(static_cast<std::int32_t>(i))) continue;
        const Span& c = tree.span(static_cast<std::int32_t>(i));
        const Span& par = tree.span(p);
        const auto res = tree.resolution_us;  // rounding is not lying outside
        if (c.start_us < par.start_us - res || c.end_us() > par.end_us() + res) ++outside;
    }
    tree.report.children_outside_parent = outside;
    if (outside > 0) {
        tree.report.notes.push_back(plural(
            outside,
            "child span lies outside its parent (clamped for the critical path)",
            "child spans lie outside their parent (clamped or left off the critical path)"
        ));
    }
}

}  // namespace nra::assembly

namespace nra::assembly {

void extend_empty_root(TraceTree& tree) {
    Span& root = tree.trace.spans[static_cast<std::size_t>(tree.root)];
    if (root.duration_us > 0 || tree.children(tree.root).empty()) return;
    std::int64_t end = root.start_us;
    for (const auto c : tree.children(tree.root)) end = std::max(end, tree.span(c).end_us());
    root.duration_us = end - root.start_us;
    tree.report.root_extended = true;
    tree.report.notes.emplace_back(
        "the root span reported no duration; it was stretched to cover its children"
    );
}

}  // namespace nra::assembly
