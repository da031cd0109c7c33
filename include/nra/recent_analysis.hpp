// One trace summary as the App Home lists it: what was asked, how long it took, what was found,
// where it was posted. Plain data, shared by the in-memory and the shared RecentStore.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace nra
