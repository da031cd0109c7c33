// Shared by every entry point that analyses a trace (/trace, mentions, the "Analyze trace"
// shortcut, unfurls, buttons): fetch, analyse on the CPU pool, remember it for App Home, render;
// and the one way an analysis is posted (summary, detail in its thread, then the picture).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "handler.hpp"

namespace nra {

// Says to the person who asked that New Relic is slow (a named coroutine behind it, never a
// capturing coroutine lambda).
using StillWaiting = Step;

struct AnalysisRequest {
    TraceQuery query;
    StillWaiting still_waiting;  // called once if the fetch outlasts services.patience
    std::string team_id;         // recorded in services.recent under this team; empty: not recorded
    std::string channel;         // where it will be posted (recorded; empty for unfurls)
    bool picture = true;         // paint the waterfall PNG when services.picture is set
};

struct AnalysisOutcome {
    bool found = false;
    std::string problem;   // one line of escaped mrkdwn for the user when !found
    RecentAnalysis facts;  // what App Home lists (set when found)
    bool complete = false;
};

// Runs on the CPU pool with the analysed trace while the caller's coroutine waits; it may keep
// references to the caller's locals.
using AnalyseFn = std::function<void(const TraceTree& tree, const Summary& summary)>;

// Fetches and summarises one trace, calls `work` off the I/O thread, then (back on it) records
// the analysis in services.recent.
boost::asio::awaitable<AnalysisOutcome> analyse_trace(
    Services services, AnalysisRequest request, AnalyseFn work
);

struct AnalysisMessages {
    bool found = false;
    OutgoingMessage summary;  // channel and thread_ts left for the caller
    OutgoingMessage detail;
    std::string png;      // the waterfall picture; empty when not painted
    std::string problem;  // one line for the user when !found
    RecentAnalysis facts;
    bool complete = false;
};

boost::asio::awaitable<AnalysisMessages> analyse_for_slack(
    Services services, AnalysisRequest request
);

// Posts the summary into `channel` (inside `thread_ts` when set), the detail in its thread and
// then the picture. Returns the summary's post result: on failure nothing else was posted. An
// upload failure is only logged (the text has arrived).
boost::asio::awaitable<ChatResult> post_analysis(
    Services services, AnalysisMessages messages, std::string channel, std::string thread_ts
);

// Applies what a BaselineSource answered (nullopt: no source, nothing said); a failed answer
// marks the summary "no baseline" with the reason.
void apply_baseline_result(
    Summary& summary,
    const TraceTree& tree,
    const std::optional<BaselineResult>& result,
    const BaselineOptions& options
);

// A Block Kit object {"text", "blocks"} as rendered by the core, split into a message.
OutgoingMessage to_message(const std::string& rendered);

// What the bot can do (for `/trace help` and "@nr-analyzer help").
std::string help_text();

// The line for a fetch that outlasts Services::patience, said privately: through a
// response_url, or as an ephemeral message to `user` in a thread.
std::string still_waiting_text(const std::string& trace_id);
StillWaiting still_waiting_privately(
    Services services, std::string response_url, std::string trace_id
);
StillWaiting still_waiting_in_thread(
    Services services,
    std::string user,
    std::string channel,
    std::string thread,
    std::string trace_id
);

// A reply through response_url that only the user who acted sees.
boost::asio::awaitable<void> respond_privately(
    Services services, std::string response_url, std::string text
);

// A button's answer in the thread of the message that carries it (or that message's own thread);
// privately through the action's response_url when Slack refuses the post.
boost::asio::awaitable<void> reply_in_thread(
    Services services, BlockAction action, std::string text
);

// "I am not a member of this channel…", ending with what to do once invited.
std::string not_member_text(std::string_view then);

// "The <ready> is ready but Slack refused the message (<code>)." ("Slack refused the message
// (<code>)." when `ready` is empty); Slack's error code is escaped like any text from outside.
std::string refused_text(std::string_view ready, const std::string& code);

// Logs through services.log when it is set.
void log_warning(const Services& services, std::string_view line);

}  // namespace nra
