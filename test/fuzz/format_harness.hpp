// One trace-file reader under libFuzzer, called directly (no format detection in front of it, so
// it also meets every other shape). The reader yields spans or one short error line; spans have
// sane times; assembly gives a tree (one root, parents before children, every span reachable);
// the summary's critical path covers the trace (pipeline_invariants.hpp). Included once per
// fuzz_<format>.cpp, which names the reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/readers.hpp"
#include "fuzz_check.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "pipeline_invariants.hpp"

namespace nra::fuzz {

using Reader = void (*)(formats::dom::element, formats::ReadContext&);

inline void check_spans(const Trace& trace) {
    for (const auto& span : trace.spans) {
        check(span.duration_us >= 0, "negative duration");
        check(
            span.start_us >= -formats::kMaxMicros && span.start_us <= formats::kMaxMicros, "start"
        );
        check(span.duration_us <= formats::kMaxMicros, "duration out of range");
    }
    for (const auto& warning : trace.warnings) check_error_line(warning, 400);
}

inline void check_tree(const TraceTree& tree) {
    const auto n = static_cast<std::int32_t>(tree.size());
    if (n == 0) return;
    check(tree.root >= 0 && tree.root < n && tree.parent[tree.root] == -1, "bad root");
    check(tree.order.size() == tree.size() && tree.order.front() == tree.root, "order");
    std::vector<char> seen(tree.size(), 0);
    for (const auto i : tree.order) {
        check(i >= 0 && i < n && seen[i] == 0, "order is not a permutation");
        seen[i] = 1;
        const auto p = tree.parent[i];
        check(i == tree.root || (p >= 0 && p < n && seen[p] == 1), "child before its parent");
        check(i == tree.root || tree.depth[i] == tree.depth[p] + 1, "depth");
    }
    for (const auto& note : tree.report.notes) check_error_line(note, 400);
}

inline void run_reader(Reader reader, std::string_view json) {
    thread_local formats::dom::parser parser;
    formats::dom::element root;
    if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS) return;
    Trace trace;
    ReadOptions options;
    options.max_spans = 50'000;  // keeps executions fast; the limit itself is tested too
    formats::ReadContext ctx(trace, options);
    reader(root, ctx);
    if (ctx.error()) {
        check_error_line(*ctx.error(), 400);
        return;
    }
    ctx.flush_tally();
    check_spans(trace);
    const TraceTree tree = assemble(std::move(trace));
    check_tree(tree);
    if (tree.size() == 0) return;
    const std::string problem = check_critical_path(summarize(tree));
    check(problem.empty(), "critical path:", problem);
}

}  // namespace nra::fuzz
