// The latest trace analyses per workspace, for the App Home tab ("what did the bot look at
// lately"). In memory, bounded, newest first; touched only from the I/O thread. Pure. The
// RecentStore of one replica.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "nra/ports/recent_store.hpp"
#include "nra/recent_analysis.hpp"

namespace nra {

class RecentAnalyses final : public RecentStore {
public:
    explicit RecentAnalyses(std::size_t per_team = 10) : per_team_(per_team) {}

    // Records an analysis for `team_id`; a repeated trace id moves to the front.
    void record(const std::string& team_id, RecentAnalysis analysis);
    // Newest first, at most `per_team` entries.
    std::vector<RecentAnalysis> latest(const std::string& team_id) const;

    boost::asio::awaitable<void> remember(std::string team_id, RecentAnalysis analysis) override;
    boost::asio::awaitable<std::vector<RecentAnalysis>> recall(std::string team_id) override;

private:
    std::size_t per_team_;
    std::map<std::string, std::deque<RecentAnalysis>> by_team_;
};

}  // namespace nra
