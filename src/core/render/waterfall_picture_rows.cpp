// Grouping spans into picture rows and choosing which rows are drawn under the cap.
#include <algorithm>
#include <numeric>
#include <utility>

#include "core/render/waterfall_picture_parts.hpp"

namespace nra::picture_detail {
namespace {

// A run of sibling spans waiting to become a row.
struct Pending {
    std::vector<std::int32_t> members;
    std::int32_t parent_row = -1;
    int depth = 0;
};

double end_of(const Span& span) {
    return static_cast<double>(span.start_us) + static_cast<double>(span.duration_us);
}

RowGroup make_group(const TraceTree& tree, const std::vector<char>& critical, const Pending& p) {
    RowGroup row;
    row.first = p.members.front();
    row.parent = p.parent_row;
    row.count = static_cast<int>(p.members.size());
    row.depth = p.depth;
    row.start_us = static_cast<double>(tree.span(row.first).start_us);
    row.end_us = end_of(tree.span(row.first));
    for (const std::int32_t m : p.members) {
        const Span& span = tree.span(m);
        row.start_us = std::min(row.start_us, static_cast<double>(span.start_us));
        row.end_us = std::max(row.end_us, end_of(span));
        row.error = row.error || span.error;
        row.critical = row.critical || critical[static_cast<std::size_t>(m)] != 0;
    }
    return row;
}

bool same_operation(const Span& a, const Span& b) {
    return a.service == b.service && a.name == b.name;
}

// The children of every member, by start time (members' children are each sorted already;
// several members need one merge by sort).
void gather_children(const TraceTree& tree, const Pending& p, std::vector<std::int32_t>& kids) {
    kids.clear();
    for (const std::int32_t m : p.members) {
        for (const std::int32_t c : tree.children(m)) {
            kids.push_back(c);
        }
    }
    if (p.members.size() > 1) {
        std::stable_sort(kids.begin(), kids.end(), [&](std::int32_t a, std::int32_t b) {
            return tree.span(a).start_us < tree.span(b).start_us;
        });
    }
}

// Splits kids into runs of identical consecutive siblings and pushes them so that the first run
// is popped first (pre-order).
void push_runs(
    const TraceTree& tree,
    const std::vector<std::int32_t>& kids,
    std::int32_t parent_row,
    int depth,
    std::vector<Pending>& stack
) {
    const std::size_t base = stack.size();
    std::size_t i = 0;
    while (i < kids.size()) {
        std::size_t j = i + 1;
        while (j < kids.size() && same_operation(tree.span(kids[i]), tree.span(kids[j]))) {
            ++j;
        }
        Pending run;
        run.members.assign(
            kids.begin() + static_cast<std::ptrdiff_t>(i),
            kids.begin() + static_cast<std::ptrdiff_t>(j)
        );
        run.parent_row = parent_row;
        run.depth = depth;
        stack.push_back(std::move(run));
        i = j;
    }
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(base), stack.end());
}

// Marks row i and its ancestors when they fit in what is left of the budget.
class Keeper {
public:
    Keeper(const std::vector<RowGroup>& rows, std::size_t budget)
        : rows_(rows), kept_(rows.size(), 0), budget_(budget) {}

    bool full() const { return used_ >= budget_; }

    void try_keep(std::size_t i) {
        // Counting stops as soon as the run would not fit: a failed try costs at most the budget.
        std::size_t need = 0;
        for (auto j = static_cast<std::int32_t>(i); j >= 0 && kept_[idx(j)] == 0;
             j = rows_[idx(j)].parent) {
            if (++need > budget_ - used_) return;
        }
        for (auto j = static_cast<std::int32_t>(i); j >= 0 && kept_[idx(j)] == 0;
             j = rows_[idx(j)].parent) {
            kept_[idx(j)] = 1;
            ++used_;
        }
    }

    // Tries every row matching pred, in tree order, until `limit` rows are used.
    template <class Pred>
    void keep_all(Pred pred, std::size_t limit) {
        const std::size_t saved = budget_;
        budget_ = std::min(limit, saved);
        for (std::size_t i = 0; i < rows_.size() && !full(); ++i) {
            if (pred(rows_[i])) try_keep(i);
        }
        budget_ = saved;
    }

    std::vector<std::size_t> kept() const {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < kept_.size(); ++i) {
            if (kept_[i] != 0) out.push_back(i);
        }
        return out;
    }

private:
    static std::size_t idx(std::int32_t i) { return static_cast<std::size_t>(i); }

    const std::vector<RowGroup>& rows_;
    std::vector<char> kept_;
    std::size_t budget_;
    std::size_t used_ = 0;
};

}  // namespace

Grouping group_rows(const TraceTree& tree, const std::vector<char>& critical) {
    Grouping out;
    if (tree.root < 0) return out;
    out.rows.reserve(tree.size());
    out.members.reserve(tree.size());
    std::vector<Pending> stack;
    stack.push_back(Pending{{tree.root}, -1, 0});
    std::vector<std::int32_t> kids;
    while (!stack.empty()) {
        const Pending p = std::move(stack.back());
        stack.pop_back();
        const auto row_index = static_cast<std::int32_t>(out.rows.size());
        RowGroup row = make_group(tree, critical, p);
        row.members = out.members.size();
        out.members.insert(out.members.end(), p.members.begin(), p.members.end());
        out.rows.push_back(row);
        gather_children(tree, p, kids);
        push_runs(tree, kids, row_index, p.depth + 1, stack);
    }
    return out;
}

std::vector<std::size_t> select_rows(const std::vector<RowGroup>& rows, std::size_t max_rows) {
    if (rows.size() <= max_rows) {
        std::vector<std::size_t> all(rows.size());
        std::iota(all.begin(), all.end(), std::size_t{0});
        return all;
    }
    Keeper keeper(rows, max_rows);
    // The critical path first, but leaving a quarter for errors when it is very long; then
    // the rest of the critical path, then the longest rows.
    const std::size_t critical_share = std::max<std::size_t>(1, max_rows * 3 / 4);
    keeper.keep_all([](const RowGroup& r) { return r.critical; }, critical_share);
    keeper.keep_all([](const RowGroup& r) { return r.error; }, max_rows);
    keeper.keep_all([](const RowGroup& r) { return r.critical; }, max_rows);
    std::vector<std::size_t> by_length(rows.size());
    std::iota(by_length.begin(), by_length.end(), std::size_t{0});
    std::stable_sort(by_length.begin(), by_length.end(), [&](std::size_t a, std::size_t b) {
        return rows[a].end_us - rows[a].start_us > rows[b].end_us - rows[b].start_us;
    });
    for (const std::size_t i : by_length) {
        if (keeper.full()) break;
        keeper.try_keep(i);
    }
    return keeper.kept();
}

}  // namespace nra::picture_detail
