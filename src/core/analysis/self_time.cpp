#include <algorithm>

#include "nra/analysis/analysis.hpp"

namespace nra {

// Jaeger's sweep (reference §2.2): children in start order, a cursor that never moves back, so
// overlapping children count once and overflowing ones are clamped to the span.
std::vector<std::int64_t> self_times(const TraceTree& tree) {
    std::vector<std::int64_t> self(tree.size(), 0);
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const Span& s = tree.trace.spans[i];
        const std::int64_t end = s.end_us();
        std::int64_t cursor = s.start_us;
        std::int64_t covered = 0;
        for (const auto c : tree.children(static_cast<std::int32_t>(i))) {
            const Span& child = tree.span(c);
            if (child.start_us >= end) break;  // children are sorted by start
            const std::int64_t child_end = std::min(end, child.end_us());
            if (child_end <= cursor) continue;
            covered += child_end - std::max(cursor, child.start_us);
            cursor = child_end;
            if (cursor >= end) break;
        }
        self[i] = std::max<std::int64_t>(0, s.duration_us - covered);
    }
    return self;
}

}  // namespace nra
