#include "nra/assemble.hpp"

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
    assembly::extend_empty_root(tree);
    if (options.adjust_clock_skew && assembly::adjust_clock_skew(tree, options)) {
        assembly::build_children(tree);  // starts moved: children must be in start order again
    }
    assembly::count_children_outside(tree);
    return tree;
}

}  // namespace nra
