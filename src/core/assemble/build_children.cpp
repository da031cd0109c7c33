#include <algorithm>

#include "steps.hpp"

namespace nra::assembly {

void build_children(TraceTree& tree) {
    const auto n = tree.parent.size();
    tree.child_offsets.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (tree.parent[i] >= 0) ++tree.child_offsets[static_cast<std::size_t>(tree.parent[i]) + 1];
    }
    for (std::size_t i = 0; i < n; ++i) tree.child_offsets[i + 1] += tree.child_offsets[i];
    tree.child_list.assign(static_cast<std::size_t>(tree.child_offsets[n]), 0);
    std::vector<std::int32_t> fill(tree.child_offsets.begin(), tree.child_offsets.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = tree.parent[i];
        if (p >= 0)
            tree.child_list[static_cast<std::size_t>(fill[static_cast<std::size_t>(p)]++)] =
                static_cast<std::int32_t>(i);
    }
    const auto& spans = tree.trace.spans;
    for (std::size_t i = 0; i < n; ++i) {
        auto* b = tree.child_list.data() + tree.child_offsets[i];
        auto* e = tree.child_list.data() + tree.child_offsets[i + 1];
        std::sort(b, e, [&](std::int32_t x, std::int32_t y) {
            const Span& a = spans[static_cast<std::size_t>(x)];
            const Span& c = spans[static_cast<std::size_t>(y)];
            if (a.start_us != c.start_us) return a.start_us < c.start_us;
            return a.span_id < c.span_id;
        });
    }
    // Pre-order with an explicit stack (depth can be huge); children pushed in reverse so that
    // they come out in start order.
    tree.depth.assign(n, 0);
    tree.order.clear();
    tree.order.reserve(n);
    std::vector<std::int32_t> stack{tree.root};
    while (!stack.empty()) {
        const auto cur = stack.back();
        stack.pop_back();
        tree.order.push_back(cur);
        const auto kids = tree.children(cur);
        for (const auto* it = kids.end(); it != kids.begin();) {
            --it;
            tree.depth[static_cast<std::size_t>(*it)] =
                tree.depth[static_cast<std::size_t>(cur)] + 1;
            stack.push_back(*it);
        }
    }
}

}  // namespace nra::assembly
