// error_origin: the deepest failing span whose failure propagated to its parent (or the root
// failing on its own), one finding per distinct origin (service, span name, message).
#include <fmt/format.h>

#include <string>
#include <unordered_map>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

// Parents before children: the tree's pre-order, or a breadth-first walk if it is missing.
std::vector<std::int32_t> top_down(const TraceTree& tree) {
    if (tree.order.size() == tree.size()) {
        return tree.order;
    }
    std::vector<std::int32_t> order;
    if (tree.root < 0) {
        return order;
    }
    order.reserve(tree.size());
    order.push_back(tree.root);
    for (std::size_t k = 0; k < order.size(); ++k) {
        for (const std::int32_t c : tree.children(order[k])) {
            order.push_back(c);
        }
    }
    return order;
}

struct Propagation {
    std::vector<int> levels;        // failing ancestors directly above, without a break
    std::vector<std::int32_t> top;  // highest span of that unbroken failing chain
};

Propagation propagation(const TraceTree& tree) {
    Propagation prop{std::vector<int>(tree.size(), 0), std::vector<std::int32_t>(tree.size(), -1)};
    for (const std::int32_t i : top_down(tree)) {
        const auto u = static_cast<std::size_t>(i);
        const std::int32_t p = tree.parent[u];
        prop.top[u] = i;
        if (p >= 0 && tree.span(p).error) {
            prop.levels[u] = prop.levels[static_cast<std::size_t>(p)] + 1;
            prop.top[u] = prop.top[static_cast<std::size_t>(p)];
        }
    }
    return prop;
}

std::string summary_of(
    const Context& ctx, const std::vector<std::int32_t>& spans, const Propagation& prop
) {
    const std::int32_t first = spans.front();
    const auto u = static_cast<std::size_t>(first);
    const std::string who = spans.size() == 1
                                ? span_label(ctx.tree, first)
                                : fmt::format("{} × {}", spans.size(), span_label(ctx.tree, first));
    const std::string reason = failure_reason(ctx.tree.span(first));
    if (prop.levels[u] == 0) {
        return fmt::format(
            "{} failed ({}): the request fails here, no child span failed", who, reason
        );
    }
    return fmt::format(
        "{} failed ({}) and the failure propagated up {} level{} to {}",
        who,
        reason,
        prop.levels[u],
        prop.levels[u] == 1 ? "" : "s",
        span_label(ctx.tree, prop.top[u])
    );
}

// Origin spans grouped by (service, name, message), in order of first appearance.
std::vector<std::vector<std::int32_t>> origin_groups(
    const TraceTree& tree, const Propagation& prop
) {
    std::vector<char> failing_child(tree.size(), 0);
    for (std::size_t i = 0; i < tree.size(); ++i) {
        if (tree.trace.spans[i].error && tree.parent[i] >= 0) {
            failing_child[static_cast<std::size_t>(tree.parent[i])] = 1;
        }
    }
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::vector<std::int32_t>> groups;
    for (const std::int32_t i : top_down(tree)) {
        const auto u = static_cast<std::size_t>(i);
        const Span& s = tree.span(i);
        // A failure nobody above saw (the parent succeeded) was handled; it is not an origin.
        if (!s.error || failing_child[u] || (prop.levels[u] == 0 && i != tree.root)) {
            continue;
        }
        std::string key =
            fmt::format("{}\x1f{}\x1f{}\x1f{}", s.service, s.name, s.error_message, s.error_class);
        const auto [it, added] = index.emplace(std::move(key), groups.size());
        if (added) {
            groups.emplace_back();
        }
        groups[it->second].push_back(i);
    }
    return groups;
}

}  // namespace

void detect_error_origin(const Context& ctx, std::vector<Finding>& out) {
    const TraceTree& tree = ctx.tree;
    const Propagation prop = propagation(tree);
    for (const auto& spans : origin_groups(tree, prop)) {
        Finding f = make_finding(tree, "error_origin", spans);
        for (const std::int32_t i : spans) {
            f.total_ms += to_ms(tree.span(i).duration_us);
        }
        // Errors cost correctness, not latency: there is no time to claim back.
        f.saving_ms = 0;
        const std::int32_t shape = ctx.shape[static_cast<std::size_t>(spans.front())];
        f.statement =
            shape == kNoShape ? std::string() : ctx.shapes[static_cast<std::size_t>(shape)];
        f.summary = summary_of(ctx, spans, prop);
        f.suggestion =
            tree.span(spans.front()).error_message.empty()
                ? "start debugging here: this is the deepest failing span (the errors above it are "
                  "consequences); it carries no message, so look at this service's logs"
                : "start debugging here: this is the deepest failing span, the errors above it "
                  "are consequences";
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect
