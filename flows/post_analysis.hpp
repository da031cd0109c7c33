// An analysis as Slack shows it, and the one way it is posted: the summary, the detail in its
// thread, then the waterfall picture. Shared by /trace, mentions, the "Analyze trace" shortcut,
// alert channels and "Re-analyze".
#pragma once

#include <string>

#include "analyse_trace.hpp"
#include "nra/chat.hpp"

namespace nra {

struct AnalysisMessages {
    OutgoingMessage summary;  // channel and thread_ts left for the caller
    OutgoingMessage detail;
    std::string png;  // the waterfall picture; empty when not painted
    RecentAnalysis facts;
    bool complete = false;
    // Set when extras (baselines, logs, blast radius) were still on their way: post_analysis
    // waits for them after posting, then updates the summary and the detail in place and only
    // then shares the picture (painted from the completed analysis when `paint`).
    SharedAnalysis unfinished;
    bool paint = false;
};

// Analyses the trace and renders it for Slack on the CPU pool; `picture`: paint the waterfall
// when ports.picture is set. The error is escaped mrkdwn for the user (analysis_problem).
// request.wait_for_extras bounds how long the extras may hold the messages back.
boost::asio::awaitable<Result<AnalysisMessages>> analyse_for_slack(
    const Ports& ports, AnalysisRequest request, bool picture = true
);

// Posts the summary into `channel` (inside `thread_ts` when set), the detail in its thread and
// then the picture. Returns the summary's post result: on failure nothing else was posted. An
// upload failure is only logged (the text has arrived).
boost::asio::awaitable<ChatResult> post_analysis(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread_ts
);

}  // namespace nra
