// Analyse one trace: fetch it (with a "still waiting" notice when New Relic is slow), summarise
// it on the CPU pool, compare it with the usual durations, and remember it for App Home. Every
// entry point that analyses a trace goes through here: /trace, mentions, the shortcut, unfurls,
// the buttons and `nr-analyzer trace`.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "nra/analysis/summary.hpp"
#include "nra/recent_analysis.hpp"
#include "nra/result.hpp"
#include "ports.hpp"

namespace nra {

// Says to the person who asked that New Relic is slow (a named coroutine behind it, never a
// capturing coroutine lambda).
using StillWaiting = Step;

struct AnalysisRequest {
    TraceQuery query;
    StillWaiting still_waiting;  // called once if the fetch outlasts ports.patience
    ProgressFn progress;         // the fetch's progress (the terminal's counter); empty: none
    std::string team_id;         // recorded in ports.recent under this team; empty: not recorded
    std::string channel;         // where it will be posted (recorded; empty for unfurls)
    // How long the extras (baselines, logs, blast radius) may hold the analysis back; the rest
    // is left pending (Analysis::pending) for complete_analysis(). Default: until they are done.
    std::chrono::milliseconds wait_for_extras = std::chrono::hours(24);
};

struct Extras;

// One analysed trace. Shared, so work on the CPU pool holds it instead of the caller's frame.
struct Analysis {
    std::shared_ptr<const FetchResult> fetched;  // the tree (always set) and the memory it holds
    Summary base;                                // the trace alone, before any extra
    Summary summary;                             // with the extras that had arrived
    RecentAnalysis facts;                        // what App Home lists
    // Extras still on their way when this was made; null when everything arrived.
    std::shared_ptr<StartedStep> pending;
    std::shared_ptr<const Extras> extras;  // where they land (read on the I/O thread only)

    const TraceTree& tree() const { return *fetched->tree; }
};
using SharedAnalysis = std::shared_ptr<const Analysis>;

// The error is the fetch's one plain sentence (not found, invalid, New Relic down…): callers
// word it for their medium with analysis_problem().
boost::asio::awaitable<Result<SharedAnalysis>> analyse_trace(
    const Ports& ports, AnalysisRequest request
);

// Waits for the extras an analysis left pending and returns it with all of them applied (what
// never arrived says so); the same analysis when nothing was pending.
boost::asio::awaitable<SharedAnalysis> complete_analysis(
    const Ports& ports, SharedAnalysis analysis
);

// "Could not analyse trace `<id>`: <why>" as escaped Slack mrkdwn.
std::string analysis_problem(const std::string& trace_id, const std::string& why);

// Runs `work` with the analysis on the CPU pool (ports.offload) and returns its value.
template <class T>
boost::asio::awaitable<T> on_cpu(
    const Ports& ports, SharedAnalysis analysis, std::function<T(const Analysis&)> work
) {
    auto out = std::make_shared<std::optional<T>>();
    std::function<void()> run = [out, analysis = std::move(analysis), work = std::move(work)] {
        *out = work(*analysis);
    };
    auto ran = run_offloaded(ports.offload, std::move(run));  // named: GCC 12
    co_await std::move(ran);
    co_return std::move(**out);
}

// Applies what a BaselineSource answered (nullopt: no source, nothing said); a failed answer
// marks the summary "no baseline" with the reason.
void apply_baseline_result(
    Summary& summary,
    const TraceTree& tree,
    const std::optional<BaselineResult>& result,
    const BaselineOptions& options
);

}  // namespace nra
