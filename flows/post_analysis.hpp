// An analysis as Slack shows it, and the one way it is posted: the summary, the detail in its
// thread, then the waterfall picture. Shared by /trace, mentions, the "Analyze trace" shortcut,
// alert channels and "Re-analyze".
#pragma once

#include <string>
#include <vector>

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

// The summary and detail as posted: where, and the messages (with their pending extras).
struct PostedAnalysis {
    ChatResult summary;  // failed: nothing else was posted
    ChatResult detail;
    std::string channel;    // where they landed
    std::string thread_ts;  // the detail's thread: where the picture goes
    AnalysisMessages messages;
};

// Posts the summary into `channel` (inside `thread_ts` when set) and the detail in its thread.
boost::asio::awaitable<PostedAnalysis> post_summary_and_detail(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread_ts
);

// What comes after: when extras were pending, waits for them and updates the summary and the
// detail in place; then shares the picture. An upload failure is only logged (the text has
// arrived). Handlers with several traces post every summary first, then finish each, so no
// summary waits behind another trace's extras.
boost::asio::awaitable<void> finish_posted(const Ports& ports, PostedAnalysis posted);

// For handlers with several traces: finishes `posted` at once when nothing is pending (the
// picture follows its detail), else keeps it in `later` for finish_all once every summary is out.
boost::asio::awaitable<void> finish_or_defer(
    const Ports& ports, PostedAnalysis posted, std::vector<PostedAnalysis>& later
);
boost::asio::awaitable<void> finish_all(const Ports& ports, std::vector<PostedAnalysis> later);

// Both: the summary, the detail, the updates and the picture. Returns the summary's post result.
boost::asio::awaitable<ChatResult> post_analysis(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread_ts
);

// The messages with every extra applied (waits for the pending ones); the same when none was
// pending. For answers that cannot be updated later (response_url).
boost::asio::awaitable<AnalysisMessages> completed_messages(
    const Ports& ports, AnalysisMessages messages
);

}  // namespace nra
