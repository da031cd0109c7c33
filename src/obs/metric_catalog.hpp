// The families of the process-wide registry, declared when it is created so that a scrape lists
// every one from the start: unlabelled counters at 0, labelled families with their HELP and TYPE
// until their first sample. README's metrics table documents the same names; an e2e test
// (metrics_documented) checks both ways. The events endpoint writes its own gauges and counters
// (jobs, dedup hits, signatures, busy answers) next to these.
#pragma once

#include <string_view>

namespace nra::obs {

class Registry;

struct FamilyInfo {
    std::string_view name;
    std::string_view type;  // "counter" or "histogram"
    std::string_view help;
    bool labelled = false;
};

// Declares the families counted elsewhere (requests, upstream calls, traces,
// rate limits, shared dedup). A family's help is the first one given, so these texts win.
void declare_bot_metrics(Registry& registry);

}  // namespace nra::obs
