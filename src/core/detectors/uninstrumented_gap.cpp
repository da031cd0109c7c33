// uninstrumented_gap: a span with children that spends a large part of its time outside all of
// them: code running without spans, missing instrumentation, or (for a client span) the network.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

struct Gap {
    std::int64_t us = 0;
    std::int32_t before = -1;  // child that ends the gap; -1 = the parent's end
    std::int32_t after = -1;   // child that the gap follows; -1 = the parent's start
};

// The largest stretch of the parent not covered by any child (children clamped to the parent).
Gap largest_gap(const TraceTree& tree, std::int32_t parent) {
    const Span& p = tree.span(parent);
    Gap best;
    std::int64_t cursor = p.start_us;
    std::int32_t last = -1;  // child reaching furthest so far
    for (const std::int32_t c : tree.children(parent)) {
        const Span& s = tree.span(c);
        const std::int64_t start = std::clamp(s.start_us, p.start_us, p.end_us());
        if (start - cursor > best.us) {
            best = {start - cursor, c, last};
        }
        if (s.end_us() > cursor) {
            cursor = std::min(s.end_us(), p.end_us());
            last = c;
        }
    }
    if (p.end_us() - cursor > best.us) {
        best = {p.end_us() - cursor, -1, last};
    }
    return best;
}

std::string describe_gap(const TraceTree& tree, const Gap& gap) {
    const auto name = [&](std::int32_t i) { return quoted(tree.span(i).name); };
    if (gap.after < 0 && gap.before < 0) {
        return "";
    }
    if (gap.after < 0) {
        return fmt::format("{} before {}", fmt_ms(to_ms(gap.us)), name(gap.before));
    }
    if (gap.before < 0) {
        return fmt::format("{} after {}", fmt_ms(to_ms(gap.us)), name(gap.after));
    }
    return fmt::format(
        "{} between {} and {}", fmt_ms(to_ms(gap.us)), name(gap.after), name(gap.before)
    );
}

// A client span whose children are the callee's spans: its own time is the wire, not code.
bool waits_on_remote(const TraceTree& tree, std::int32_t i) {
    const Span& s = tree.span(i);
    if (s.kind != SpanKind::client && s.kind != SpanKind::producer) {
        return false;
    }
    const auto kids = tree.children(i);
    return std::any_of(kids.begin(), kids.end(), [&](std::int32_t c) {
        return tree.span(c).kind == SpanKind::server || tree.span(c).service != s.service;
    });
}

// Summary of the worst span of the group (largest self time); the others are counted.
std::string summarize(
    const Context& ctx, const std::vector<std::int32_t>& spans, std::int32_t worst
) {
    const Span& s = ctx.tree.span(worst);
    const double self_ms = to_ms(ctx.self_us[static_cast<std::size_t>(worst)]);
    const auto n_children = ctx.tree.children(worst).size();
    const std::string gap = describe_gap(ctx.tree, largest_gap(ctx.tree, worst));
    const std::string who = spans.size() == 1
                                ? span_label(ctx.tree, worst)
                                : fmt::format("{} × {}", spans.size(), span_label(ctx.tree, worst));
    return fmt::format(
        "{} spent {}{} ({:.0f}% of {}) outside {} {} child span{}{}{}: unexplained {}",
        who,
        spans.size() == 1 ? "" : "up to ",
        fmt_ms(self_ms),
        100.0 * self_ms / to_ms(s.duration_us),
        fmt_ms(to_ms(s.duration_us)),
        spans.size() == 1 ? "its" : "their",
        n_children,
        n_children == 1 ? "" : "s",
        gap.empty() ? "" : "; largest gap ",
        gap,
        waits_on_remote(ctx.tree, worst) ? "time on the wire" : "time"
    );
}

void report(const Context& ctx, const std::vector<std::int32_t>& spans, std::vector<Finding>& out) {
    Finding f = make_finding(ctx.tree, "uninstrumented_gap", spans);
    std::int32_t worst = spans.front();
    for (const std::int32_t i : spans) {
        const auto self = ctx.self_us[static_cast<std::size_t>(i)];
        f.total_ms += to_ms(self);
        if (self > ctx.self_us[static_cast<std::size_t>(worst)]) {
            worst = i;
        }
    }
    // Nothing tells us what this time is, so we claim no saving: it may be necessary work. The
    // finding points at where to look (add spans or profile), and ranks after findings whose
    // saving we can estimate.
    f.saving_ms = 0;
    f.summary = summarize(ctx, spans, worst);
    f.suggestion = waits_on_remote(ctx.tree, worst)
                       ? "compare with the callee's server span: the difference is network, "
                         "queueing, connection setup or a connection pool wait"
                       : "add spans (or run a profiler) around the code in the gap: it runs "
                         "without instrumentation, or a call there is not traced";
    out.push_back(std::move(f));
}

}  // namespace

// One finding per operation (service + span name): a loop of the same slow handler is one thing
// to look at, not N.
void detect_uninstrumented_gap(const Context& ctx, std::vector<Finding>& out) {
    const auto& lim = ctx.limits;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<std::vector<std::int32_t>> groups;
    for (std::size_t i = 0; i < ctx.tree.size(); ++i) {
        const Span& s = ctx.tree.trace.spans[i];
        const std::int64_t self = ctx.self_us[i];
        // A client span over its callee's server span: that time is a call_gap, not code here.
        if (server_side(ctx.tree, static_cast<std::int32_t>(i)) >= 0) continue;
        if (s.duration_us <= 0 || ctx.tree.children(static_cast<std::int32_t>(i)).empty() ||
            to_ms(self) < lim.gap_min_ms ||
            static_cast<double>(self) < lim.gap_min_share * static_cast<double>(s.duration_us)) {
            continue;
        }
        const auto [it, added] =
            index.emplace(fmt::format("{}\x1f{}", s.service, s.name), groups.size());
        if (added) {
            groups.emplace_back();
        }
        groups[it->second].push_back(static_cast<std::int32_t>(i));
    }
    for (const auto& spans : groups) {
        report(ctx, spans, out);
    }
}

}  // namespace nra::detect
