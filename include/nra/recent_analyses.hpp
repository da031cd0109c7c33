// The latest trace analyses per workspace, for the App Home tab ("what did the bot look at
// lately"). In memory, bounded, newest first; touched only from the I/O thread. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace nra {

struct RecentAnalysis {
    std::string trace_id;
    std::string request;  // e.g. "GET /checkout"
    double duration_ms = 0;
    int span_count = 0;
    int error_count = 0;
    std::string top_finding;   // one line, or empty
    std::string channel;       // where it was posted (empty for unfurls or DMs)
    std::string permalink_ts;  // the summary message's ts, when posted
    std::int64_t at_epoch_s = 0;
};

class RecentAnalyses {
public:
    explicit RecentAnalyses(std::size_t per_team = 10) : per_team_(per_team) {}

    // Records an analysis for `team_id`; a repeated trace id moves to the front.
    void record(const std::string& team_id, RecentAnalysis analysis);
    // Newest first, at most `per_team` entries.
    std::vector<RecentAnalysis> latest(const std::string& team_id) const;

private:
    std::size_t per_team_;
    std::map<std::string, std::deque<RecentAnalysis>> by_team_;
};

}  // namespace nra
