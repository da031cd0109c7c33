// RecentStore port: the latest trace summaries per workspace that the App Home lists. In this
// process's memory (RecentAnalyses) with one replica; in the shared StateStore with several, so
// every replica shows the same list whichever one answers `app_home_opened`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "nra/recent_analysis.hpp"

namespace nra {

class RecentStore {
public:
    virtual ~RecentStore() = default;
    // Records a summary for the workspace; a repeated trace id moves to the front.
    virtual boost::asio::awaitable<void> remember(std::string team_id, RecentAnalysis analysis) = 0;
    // Newest first, bounded.
    virtual boost::asio::awaitable<std::vector<RecentAnalysis>> recall(std::string team_id) = 0;
};

}  // namespace nra
