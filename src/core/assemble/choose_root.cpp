#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "steps.hpp"

namespace nra::assembly {
namespace {

// The longest top-level span is the request; ties go to the earliest, then the smallest id.
bool better_root(const Span& a, const Span& b) {
    if (a.duration_us != b.duration_us) return a.duration_us > b.duration_us;
    if (a.start_us != b.start_us) return a.start_us < b.start_us;
    return a.span_id < b.span_id;
}

// When the real root never arrived, a synthetic span covering every orphan stands in for it so
// that durations and the critical path stay honest about the whole extent of what we have.
std::int32_t add_synthetic_root(Trace& trace, const std::vector<std::int32_t>& tops) {
    std::int64_t begin = std::numeric_limits<std::int64_t>::max();
    std::int64_t end = std::numeric_limits<std::int64_t>::min();
    const Span* earliest = nullptr;
    for (auto i : tops) {
        const Span& s = trace.spans[static_cast<std::size_t>(i)];
        begin = std::min(begin, s.start_us);
        end = std::max(end, s.end_us());
        if (earliest == nullptr || s.start_us < earliest->start_us) earliest = &s;
    }
    Span root;
    root.span_id = trace.intern("missing-root");
    root.trace_id = earliest->trace_id;
    root.name = trace.intern("(missing root span)");
    root.service = earliest->service;
    root.start_us = begin;
    root.duration_us = end - begin;
    root.synthetic = true;
    trace.spans.push_back(root);
    return static_cast<std::int32_t>(trace.spans.size() - 1);
}

}  // namespace

std::int32_t choose_root(
    Trace& trace,
    std::vector<std::int32_t>& parent,
    const std::vector<char>& orphan_flags,
    std::vector<char>& attached,
    AssemblyReport& report
) {
    std::vector<std::int32_t> roots;
    std::vector<std::int32_t> tops;  // every span without a resolved parent
    for (std::size_t i = 0; i < parent.size(); ++i) {
        if (parent[i] >= 0) continue;
        tops.push_back(static_cast<std::int32_t>(i));
        if (orphan_flags[i] == 0) roots.push_back(static_cast<std::int32_t>(i));
    }
    if (tops.empty()) return -1;
    std::int32_t root = -1;
    if (roots.empty()) {
        report.missing_root = true;
        root = add_synthetic_root(trace, tops);
        parent.push_back(-1);
        report.notes.emplace_back("the root span is missing: the request's entry span never arrived"
        );
    } else {
        root = *std::min_element(roots.begin(), roots.end(), [&](auto a, auto b) {
            return better_root(
                trace.spans[static_cast<std::size_t>(a)], trace.spans[static_cast<std::size_t>(b)]
            );
        });
        report.extra_roots = static_cast<int>(roots.size()) - 1;
    }
    attached.assign(parent.size(), 0);
    for (auto i : tops) {
        if (i == root) continue;
        parent[static_cast<std::size_t>(i)] = root;
        attached[static_cast<std::size_t>(i)] = 1;
    }
    if (report.orphans > 0) {
        report.notes.push_back(plural(
            report.orphans,
            "orphan span (parent not in the trace) attached to the root",
            "orphan spans (parent not in the trace) attached to the root"
        ));
    }
    if (report.extra_roots > 0) {
        report.notes.push_back(plural(
            report.extra_roots,
            "more span without a parent attached to the root",
            "more spans without a parent attached to the root"
        ));
    }
    return root;
}

}  // namespace nra::assembly
