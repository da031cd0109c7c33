#include <algorithm>

#include "id_index.hpp"
#include "steps.hpp"

namespace nra::assembly {
namespace {

// Walks up from `start` marking nodes; when the walk meets its own path, the cycle's earliest
// span loses its parent. state: 0 unvisited, 1 on the current path, 2 done.
std::int32_t break_cycles_from(
    std::int32_t start,
    const Trace& trace,
    std::vector<std::int32_t>& parent,
    std::vector<char>& state,
    std::vector<std::int32_t>& path
) {
    std::int32_t broken = -1;
    path.clear();
    std::int32_t cur = start;
    while (cur >= 0 && state[static_cast<std::size_t>(cur)] == 0) {
        state[static_cast<std::size_t>(cur)] = 1;
        path.push_back(cur);
        cur = parent[static_cast<std::size_t>(cur)];
    }
    if (cur >= 0 && state[static_cast<std::size_t>(cur)] == 1) {
        auto first = std::find(path.begin(), path.end(), cur);
        auto earliest = std::min_element(first, path.end(), [&](std::int32_t a, std::int32_t b) {
            return trace.spans[static_cast<std::size_t>(a)].start_us <
                   trace.spans[static_cast<std::size_t>(b)].start_us;
        });
        parent[static_cast<std::size_t>(*earliest)] = -1;
        broken = *earliest;
    }
    for (auto i : path) state[static_cast<std::size_t>(i)] = 2;
    return broken;
}

}  // namespace

void link_parents(
    const Trace& trace,
    const IdIndex& index,
    std::vector<std::int32_t>& parent,
    std::vector<char>& orphan_flags,
    AssemblyReport& report
) {
    const auto n = trace.spans.size();
    parent.assign(n, -1);
    orphan_flags.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto pid = trace.spans[i].parent_id;
        if (pid.empty()) continue;
        const auto at = index.find(pid);
        if (at < 0) {
            orphan_flags[i] = 1;
            ++report.orphans;
        } else {
            parent[i] = at;
        }
    }
    std::vector<char> state(n, 0);
    std::vector<std::int32_t> path;
    for (std::size_t i = 0; i < n; ++i) {
        if (state[i] != 0) continue;
        const auto broken =
            break_cycles_from(static_cast<std::int32_t>(i), trace, parent, state, path);
        if (broken >= 0) {
            orphan_flags[static_cast<std::size_t>(broken)] =
                1;  // attach to the root like an orphan
            ++report.cycles_broken;
        }
    }
    if (report.cycles_broken > 0) {
        report.notes.push_back(
            plural(report.cycles_broken, "parent cycle was broken", "parent cycles were broken")
        );
    }
}

}  // namespace nra::assembly
