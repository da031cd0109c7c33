// Which picture rows are slower than usual: the verdicts the summary carries (by span id) on the
// spans each row stands for.
#include <string_view>
#include <unordered_map>

#include "core/render/baseline_text.hpp"
#include "core/render/waterfall_picture_parts.hpp"

namespace nra::picture_detail {
namespace {

using SlowerIndex = std::unordered_map<std::string_view, const Baseline*>;

void note_slower(SlowerIndex& index, std::string_view id, const Baseline* baseline) {
    if (baseline == nullptr || baseline->verdict != BaselineVerdict::slower) return;
    auto [it, fresh] = index.emplace(id, baseline);
    if (!fresh && baseline->ratio > it->second->ratio) it->second = baseline;
}

// Every slower verdict in the summary, by span id (critical path, path rows, slow spans and the
// unusual list: a span may appear in any of them).
SlowerIndex slower_index(const Summary& summary) {
    SlowerIndex index;
    const auto of = [](const std::optional<Baseline>& b) { return b ? &*b : nullptr; };
    for (const auto& segment : summary.critical_path) {
        note_slower(index, segment.span_id, of(segment.baseline));
    }
    for (const auto& row : summary.path_rows) note_slower(index, row.span_id, of(row.baseline));
    for (const auto& span : summary.slow_spans) note_slower(index, span.span_id, of(span.baseline));
    for (const auto& span : summary.baseline.unusual) {
        note_slower(index, span.span_id, &span.baseline);
    }
    return index;
}

}  // namespace

std::vector<std::string> slower_tags(
    const TraceTree& tree,
    const Summary& summary,
    const Grouping& grouping,
    const std::vector<std::size_t>& kept
) {
    std::vector<std::string> tags(kept.size());
    if (summary.baseline.state != BaselineOverview::State::applied) return tags;
    const SlowerIndex index = slower_index(summary);
    if (index.empty()) return tags;
    for (std::size_t k = 0; k < kept.size(); ++k) {
        const RowGroup& row = grouping.rows[kept[k]];
        const Baseline* worst = nullptr;
        for (std::size_t m = 0; m < static_cast<std::size_t>(row.count); ++m) {
            const Span& span = tree.span(grouping.members[row.members + m]);
            const auto it = index.find(span.span_id);
            if (it != index.end() && (worst == nullptr || it->second->ratio > worst->ratio)) {
                worst = it->second;
            }
        }
        if (worst != nullptr) tags[k] = render_detail::slower_tag(*worst);
    }
    return tags;
}

}  // namespace nra::picture_detail
