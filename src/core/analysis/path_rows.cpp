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

void fill_path_rows(
    const TraceTree& tree, const std::vector<CriticalSection>& sections, Summary& s
) {
    // One row per span, in tree pre-order (a parent above its children, siblings by start), so
    // the waterfall reads top-down; each row starts where its span really started.
    std::vector<std::int32_t> position(tree.size(), 0);
    for (std::size_t k = 0; k < tree.order.size(); ++k) {
        position[static_cast<std::size_t>(tree.order[k])] = static_cast<std::int32_t>(k);
    }
    std::unordered_map<std::int32_t, double> on_path_ms;
    std::vector<std::int32_t> spans;
    for (const auto& sec : sections) {
        auto [it, added] = on_path_ms.emplace(sec.span, 0.0);
        if (added) spans.push_back(sec.span);
        it->second += to_ms(sec.end_us - sec.start_us);
    }
    std::sort(spans.begin(), spans.end(), [&](std::int32_t a, std::int32_t b) {
        return position[static_cast<std::size_t>(a)] < position[static_cast<std::size_t>(b)];
    });
    // Fold runs of identical consecutive siblings (an N+1 loop reads as one row "×40").
    std::int32_t previous = -1;
    for (const auto i : spans) {
        const Span& sp = tree.span(i);
        if (previous >= 0 && same_sibling(tree, previous, i)) {
            s.path_rows.back().count += 1;
            s.path_rows.back().duration_ms += on_path_ms[i];
        } else {
            s.path_rows.push_back(
                {std::string(sp.service),
                 std::string(sp.name),
                 tree.depth[static_cast<std::size_t>(i)],
                 1,
                 to_ms(sp.start_us - s.start_us),
                 on_path_ms[i],
                 std::string(sp.span_id)}
            );
        }
        previous = i;
    }
}

}  // namespace nra::summary_parts
