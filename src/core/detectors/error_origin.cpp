// error_origin: the deepest failing span whose failure propagated to its parent (or the root
// failing on its own), one finding per distinct origin (service, span name, message).
#include <fmt/format.h>

#include <string>
#include <unordered_map>

#include "detector_util.hpp"
#include "nra/analysis/analysis.hpp"

namespace nra::detect {
namespace {

std::string summary_of(
    const Context& ctx, const std::vector<std::int32_t>& spans, const std::vector<ErrorRole>& roles
) {
    const std::int32_t first = spans.front();
    const auto u = static_cast<std::size_t>(first);
    const std::string who = spans.size() == 1
                                ? span_label(ctx.tree, first)
                                : fmt::format("{} × {}", spans.size(), span_label(ctx.tree, first));
    const std::string reason = failure_reason(ctx.tree.span(first));
    const ErrorRole& role = roles[u];
    if (role.levels == 0 && first == ctx.tree.root) {
        return fmt::format(
            "{} failed ({}): the request fails here, no child span failed", who, reason
        );
    }
    if (role.levels == 0) {
        return fmt::format(
            "{} failed ({}); the span that called it is not in the trace", who, reason
        );
    }
    return fmt::format(
        "{} failed ({}) and the failure propagated up {} level{} to {}",
        who,
        reason,
        role.levels,
        role.levels == 1 ? "" : "s",
        span_label(ctx.tree, role.top)
    );
}

// Origin spans grouped by (service, name, message), in order of first appearance.
std::vector<std::vector<std::int32_t>> origin_groups(
    const TraceTree& tree, const std::vector<ErrorRole>& roles
) {
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::vector<std::int32_t>> groups;
    for (const std::int32_t i : tree.order) {
        const Span& s = tree.span(i);
        if (!s.error || !roles[static_cast<std::size_t>(i)].origin) {
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
    const auto roles = error_roles(tree);
    for (const auto& spans : origin_groups(tree, roles)) {
        Finding f = make_finding(tree, "error_origin", spans);
        for (const std::int32_t i : spans) {
            f.total_ms += to_ms(tree.span(i).duration_us);
        }
        // Errors cost correctness, not latency: there is no time to claim back.
        f.saving_ms = 0;
        const std::int32_t shape = ctx.shape[static_cast<std::size_t>(spans.front())];
        f.statement =
            shape == kNoShape ? std::string() : ctx.shapes[static_cast<std::size_t>(shape)];
        f.summary = summary_of(ctx, spans, roles);
        const bool consequences = roles[static_cast<std::size_t>(spans.front())].levels > 0;
        f.suggestion = fmt::format(
            "start debugging here: this is the deepest failing span{}{}",
            consequences ? ", the errors above it are consequences" : "",
            tree.span(spans.front()).error_message.empty()
                ? "; it carries no message, so look at this service's logs"
                : ""
        );
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect
