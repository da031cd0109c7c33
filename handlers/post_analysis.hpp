// Shared by /trace and mentions: fetch one trace, analyse it, and turn the outcome into Slack
// messages (summary for the channel or thread, detail for the thread under it).
#pragma once

#include <string>

#include "handler.hpp"

namespace nra {

struct AnalysisMessages {
    bool found = false;
    OutgoingMessage summary;  // channel and thread_ts left for the caller
    OutgoingMessage detail;
    std::string problem;  // one line for the user when !found
};

boost::asio::awaitable<AnalysisMessages> analyse_for_slack(Services services, TraceQuery query);

// A Block Kit object {"text", "blocks"} as rendered by the core, split into a message.
OutgoingMessage to_message(const std::string& rendered);

// What the bot can do (for `/trace help` and "@nr-analyzer help").
std::string help_text();

}  // namespace nra
