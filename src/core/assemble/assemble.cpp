#include "nra/assemble/assemble.hpp"

#include <fmt/format.h>

#include "steps.hpp"

namespace nra {

namespace assembly {

std::string plural(int n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace assembly

bool TraceTree::is_blocking(std::int32_t i) const {
    const auto p = parent[static_cast<std::size_t>(i)];
    if (p < 0) {
        return true;
    }
    const Span& child = span(i);
    if (child.follows_from) {
        return false;
    }
    return !(span(p).kind == SpanKind::producer && child.kind == SpanKind::consumer);
}

bool TraceTree::may_outlive_parent(std::int32_t i) const {
    const auto u = static_cast<std::size_t>(i);
    const auto p = parent[u];
    if (p < 0) return false;
    // Only messaging spans: elsewhere a child that outlives its parent is a clock or
    // instrumentation error, and Jaeger's rule (clamp it, or leave it off the path) stands.
    const Span& c = span(i);
    const Span& par = span(p);
    const bool messaging = c.kind == SpanKind::consumer || par.kind == SpanKind::consumer ||
                           par.kind == SpanKind::producer || c.category == SpanCategory::messaging;
    const bool outlived = c.end_us() > par.end_us() + resolution_us;  // e.g. a 1 µs consumer poll
    return !is_blocking(i) || (!attached.empty() && attached[u] != 0) || (messaging && outlived);
}

TraceTree assemble(Trace trace, const AssemblyOptions& options) {
    TraceTree tree;
    assembly::drop_invalid(trace, tree.report);
    const auto ids = assembly::resolve_duplicate_ids(trace, tree.report);
    std::vector<char> orphan_flags;
    assembly::link_parents(trace, ids, tree.parent, orphan_flags, tree.report);
    tree.root = assembly::choose_root(trace, tree.parent, orphan_flags, tree.attached, tree.report);
    tree.trace = std::move(trace);
    if (tree.root < 0) {
        tree.child_offsets.assign(1, 0);
        return tree;
    }
    assembly::build_children(tree);
    tree.resolution_us = assembly::timestamp_resolution(tree.trace);
    assembly::extend_empty_root(tree);
    if (options.adjust_clock_skew && assembly::adjust_clock_skew(tree, options)) {
        assembly::build_children(tree);  // starts moved: children must be in start order again
    }
    assembly::count_children_outside(tree);
    return tree;
}

}  // namespace nra
