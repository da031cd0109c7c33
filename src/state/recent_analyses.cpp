#include "state/recent_analyses.hpp"

#include <algorithm>

namespace nra {

void RecentAnalyses::record(const std::string& team_id, RecentAnalysis analysis) {
    auto& list = by_team_[team_id];
    std::erase_if(list, [&](const RecentAnalysis& a) { return a.trace_id == analysis.trace_id; });
    list.push_front(std::move(analysis));
    while (list.size() > per_team_) list.pop_back();
}

std::vector<RecentAnalysis> RecentAnalyses::latest(const std::string& team_id) const {
    const auto it = by_team_.find(team_id);
    if (it == by_team_.end()) return {};
    return {it->second.begin(), it->second.end()};
}

boost::asio::awaitable<void> RecentAnalyses::remember(
    std::string team_id, RecentAnalysis analysis
) {
    record(team_id, std::move(analysis));
    co_return;
}

boost::asio::awaitable<std::vector<RecentAnalysis>> RecentAnalyses::recall(std::string team_id) {
    co_return latest(team_id);
}

}  // namespace nra
