// The App Home tab: what the bot does, how to use it, and the latest analyses in this workspace.
// Pure; the view stays inside Slack's Home tab limits (≤ 100 blocks, clipped and escaped texts).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nra/recent_analysis.hpp"
#include "nra/render/block_message.hpp"

namespace nra {

struct HomeOptions {
    std::string bot_name = "nr-analyzer";  // as people mention it (@nr-analyzer)
    bool improve = true;                   // /improve is wired (metrics configured)
    std::size_t max_listed = 10;           // latest analyses shown
};

// views.publish `view`: {"type": "home", "blocks": [...]}.
Blocks render_home_view(const std::vector<RecentAnalysis>& recent, const HomeOptions& options = {});

}  // namespace nra
