#include "nra/analysis/analysis.hpp"

namespace nra {

std::vector<ErrorRole> error_roles(const TraceTree& tree) {
    const auto n = tree.size();
    std::vector<ErrorRole> roles(n);
    std::vector<char> failing_child(n, 0);
    auto reported_parent = [&](std::size_t i) {
        return tree.attached.empty() || tree.attached[i] == 0 ? tree.parent[i] : -1;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const auto p = reported_parent(i);
        if (p >= 0 && tree.trace.spans[i].error) failing_child[static_cast<std::size_t>(p)] = 1;
    }
    for (const auto i : tree.order) {  // parents first: their chain is known
        const auto u = static_cast<std::size_t>(i);
        const Span& s = tree.span(i);
        const auto p = reported_parent(u);
        ErrorRole& r = roles[u];
        r.top = i;
        if (!s.error) continue;
        if (p >= 0 && tree.span(p).error) {
            r.levels = roles[static_cast<std::size_t>(p)].levels + 1;
            r.top = roles[static_cast<std::size_t>(p)].top;
        }
        // A parent that did not wait (a producer, a `poll` before the consumer ran) cannot have
        // coped with the failure: a failing consumer under a successful producer is an origin.
        r.handled = p >= 0 && !tree.span(p).error && !tree.may_outlive_parent(i);
        r.origin = failing_child[u] == 0 && !r.handled;
    }
    return roles;
}

}  // namespace nra
