#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "nra/analysis/analysis.hpp"
#include "nra/analysis/summary.hpp"
#include "summarize_parts.hpp"

namespace nra {
namespace {

// "GET /profile/:userId" reads better than "WebTransaction/Expressjs/GET//profile/:userId":
// the route (OpenTelemetry) or the agent's request.uri, with the method when known.
std::string request_of(const Span& root) {
    std::string_view path = root.http_route;
    if (path.empty()) path = attribute(root, "request.uri");
    if (path.empty()) return std::string(root.name);
    std::string_view method = root.http_method;
    if (method.empty()) method = attribute(root, "request.method");
    return method.empty() ? std::string(path) : fmt::format("{} {}", method, path);
}

// The trace's extent, first start to last end: the root's own interval unless asynchronous work
// (consumers after a short `poll` root) or skew runs outside it.
std::pair<std::int64_t, std::int64_t> extent(const TraceTree& tree) {
    const Span& root = tree.span(tree.root);
    std::int64_t first = root.start_us;
    std::int64_t last = root.end_us();
    for (const Span& sp : tree.trace.spans) {
        first = std::min(first, sp.start_us);
        last = std::max(last, sp.end_us());
    }
    return {first, last};
}

void fill_header(const TraceTree& tree, Summary& s) {
    const Span& root = tree.span(tree.root);
    s.trace_id = tree.trace.trace_id.empty() ? std::string(root.trace_id) : tree.trace.trace_id;
    s.complete = tree.report.complete();
    s.span_count = static_cast<int>(tree.size()) - (root.synthetic ? 1 : 0);
    const auto [first, last] = extent(tree);
    s.duration_ms = to_ms(last - first);
    s.start_us = first;
    s.root = {
        std::string(root.span_id),
        std::string(root.service),
        std::string(root.name),
        to_ms(root.duration_us)};
    s.request = request_of(root);
    s.assembly = tree.report;
    s.notes = tree.report.notes;
    s.notes.insert(s.notes.end(), tree.trace.warnings.begin(), tree.trace.warnings.end());
}

void fill_critical_path(const TraceTree& tree, Summary& s) {
    const auto sections = critical_path(tree);
    std::unordered_set<std::string_view> seen;  // services already on s.path
    for (const auto& sec : sections) {
        const Span& sp = tree.span(sec.span);
        s.critical_path.push_back(
            {std::string(sp.span_id),
             std::string(sp.service),
             std::string(sp.name),
             to_ms(sec.start_us - s.start_us),
             to_ms(sec.end_us - sec.start_us),
             tree.depth[static_cast<std::size_t>(sec.span)]}
        );
        if (seen.insert(sp.service).second) s.path.emplace_back(sp.service);
    }
    summary_parts::fill_path_rows(tree, sections, s);
}

void fill_slow_spans(
    const TraceTree& tree, const std::vector<std::int64_t>& self, std::size_t limit, Summary& s
) {
    std::vector<std::int32_t> idx(tree.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int32_t>(i);
    const auto k = std::min(limit, idx.size());
    std::partial_sort(
        idx.begin(),
        idx.begin() + static_cast<std::ptrdiff_t>(k),
        idx.end(),
        [&](auto a, auto b) {
            const auto sa = self[static_cast<std::size_t>(a)];
            const auto sb = self[static_cast<std::size_t>(b)];
            return sa != sb ? sa > sb : tree.span(a).start_us < tree.span(b).start_us;
        }
    );
    for (std::size_t i = 0; i < k; ++i) {
        const Span& sp = tree.span(idx[i]);
        if (self[static_cast<std::size_t>(idx[i])] == 0) break;
        s.slow_spans.push_back(
            {std::string(sp.span_id),
             std::string(sp.service),
             std::string(sp.name),
             to_ms(sp.duration_us),
             to_ms(self[static_cast<std::size_t>(idx[i])])}
        );
    }
}

}  // namespace

Summary summarize(const TraceTree& tree, const AnalysisOptions& options) {
    Summary s;
    if (tree.root < 0) {
        s.complete = false;
        s.trace_id = tree.trace.trace_id;
        s.notes.emplace_back("the trace has no spans");
        return s;
    }
    fill_header(tree, s);
    auto self = self_times(tree);
    if (tree.span(tree.root).synthetic) {
        // A stand-in for the missing root: the time between the fragments that arrived is
        // unknown, not anybody's self time (and not an uninstrumented gap).
        self[static_cast<std::size_t>(tree.root)] = 0;
    }
    summary_parts::fill_services(tree, self, s);
    summary_parts::fill_operations(tree, self, options.max_operations, s);
    fill_critical_path(tree, s);
    fill_slow_spans(tree, self, options.max_slow_spans, s);
    summary_parts::fill_errors(tree, options.max_errors, s);
    s.findings = detect_all(tree, self, options.thresholds);
    s.suspects = find_suspects(s, tree, s.suspects_note);
    return s;
}

}  // namespace nra
