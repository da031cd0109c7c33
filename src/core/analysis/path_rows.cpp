#include <algorithm>
#include <unordered_map>

#include "summarize_parts.hpp"

namespace nra::summary_parts {
namespace {

bool same_sibling(const TraceTree& tree, std::int32_t a, std::int32_t b) {
    const Span& x = tree.span(a);
    const Span& y = tree.span(b);
    return tree.parent[static_cast<std::size_t>(a)] == tree.parent[static_cast<std::size_t>(b)] &&
           x.service == y.service && x.name == y.name;
}

}  // namespace

std::vector<std::vector<std::int32_t>> path_row_spans(
    const TraceTree& tree, const std::vector<CriticalSection>& sections
) {
    // One row per span, in tree pre-order (a parent above its children, siblings by start), so
    // the waterfall reads top-down.
    std::vector<std::int32_t> position(tree.size(), 0);
    for (std::size_t k = 0; k < tree.order.size(); ++k) {
        position[static_cast<std::size_t>(tree.order[k])] = static_cast<std::int32_t>(k);
    }
    std::vector<char> seen(tree.size(), 0);
    std::vector<std::int32_t> spans;
    for (const auto& sec : sections) {
        auto& flag = seen[static_cast<std::size_t>(sec.span)];
        if (flag == 0) spans.push_back(sec.span);
        flag = 1;
    }
    std::sort(spans.begin(), spans.end(), [&](std::int32_t a, std::int32_t b) {
        return position[static_cast<std::size_t>(a)] < position[static_cast<std::size_t>(b)];
    });
    // Fold runs of identical consecutive siblings (an N+1 loop reads as one row "×40").
    std::vector<std::vector<std::int32_t>> rows;
    for (const auto i : spans) {
        if (!rows.empty() && same_sibling(tree, rows.back().back(), i)) {
            rows.back().push_back(i);
        } else {
            rows.push_back({i});
        }
    }
    return rows;
}

void fill_path_rows(
    const TraceTree& tree, const std::vector<CriticalSection>& sections, Summary& s
) {
    std::unordered_map<std::int32_t, std::vector<const CriticalSection*>> on_path;
    for (const auto& sec : sections) on_path[sec.span].push_back(&sec);
    const auto rel = [&s](std::int64_t us) { return to_ms(us - s.start_us); };
    for (const auto& group : path_row_spans(tree, sections)) {
        const Span& first = tree.span(group.front());
        PathRow row;
        row.service = std::string(first.service);
        row.name = std::string(first.name);
        row.depth = tree.depth[static_cast<std::size_t>(group.front())];
        row.count = static_cast<int>(group.size());
        row.span_id = std::string(first.span_id);
        std::int64_t begin = first.start_us;
        std::int64_t end = first.end_us();
        for (const auto i : group) {
            begin = std::min(begin, tree.span(i).start_us);
            end = std::max(end, tree.span(i).end_us());
            for (const auto* sec : on_path[i]) {
                row.path_ms += to_ms(sec->end_us - sec->start_us);
                row.path_parts.emplace_back(rel(sec->start_us), rel(sec->end_us));
            }
        }
        std::sort(row.path_parts.begin(), row.path_parts.end());
        row.start_ms = rel(begin);
        row.duration_ms = to_ms(end - begin);
        s.path_rows.push_back(std::move(row));
    }
}

}  // namespace nra::summary_parts
