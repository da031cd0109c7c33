#include <unordered_map>

#include "summarize_parts.hpp"

namespace nra::summary_parts {
namespace {

double ms(std::int64_t us) {
    return static_cast<double>(us) / 1000.0;
}

struct RowKey {
    std::int32_t span;
    std::int32_t parent;
};

bool same_sibling(const TraceTree& tree, const RowKey& a, const RowKey& b) {
    const Span& x = tree.span(a.span);
    const Span& y = tree.span(b.span);
    return a.parent == b.parent && x.service == y.service && x.name == y.name;
}

}  // namespace

void fill_path_rows(
    const TraceTree& tree, const std::vector<CriticalSection>& sections, Summary& s
) {
    std::vector<PathRow> rows;
    std::vector<RowKey> keys;
    std::unordered_map<std::int32_t, std::size_t> row_of;
    for (const auto& sec : sections) {
        const auto [it, added] = row_of.emplace(sec.span, rows.size());
        if (!added) {
            rows[it->second].duration_ms += ms(sec.end_us - sec.start_us);
            continue;
        }
        const Span& sp = tree.span(sec.span);
        rows.push_back(
            {std::string(sp.service),
             std::string(sp.name),
             tree.depth[static_cast<std::size_t>(sec.span)],
             1,
             ms(sec.start_us - s.start_us),
             ms(sec.end_us - sec.start_us),
             std::string(sp.span_id)}
        );
        keys.push_back({sec.span, tree.parent[static_cast<std::size_t>(sec.span)]});
    }
    // Fold runs of identical consecutive siblings (an N+1 loop reads as one row "×40").
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!s.path_rows.empty() && same_sibling(tree, keys[i - 1], keys[i]) &&
            s.path_rows.back().name == rows[i].name) {
            s.path_rows.back().count += 1;
            s.path_rows.back().duration_ms += rows[i].duration_ms;
            continue;
        }
        s.path_rows.push_back(std::move(rows[i]));
    }
}

}  // namespace nra::summary_parts
