#include "analyse_trace.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "nra/analysis/baseline_apply.hpp"
#include "nra/render/render.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

bool private_conversation(const std::string& channel) {
    return !channel.empty() && (channel.front() == 'D' || channel.front() == 'G');
}

RecentAnalysis facts_of(const Summary& summary, const std::string& channel) {
    const TraceHeadline headline = trace_headline(summary);
    RecentAnalysis facts;
    facts.trace_id = summary.trace_id;
    facts.request = headline.request;
    facts.duration_ms = summary.duration_ms;
    facts.span_count = summary.span_count;
    facts.error_count = static_cast<int>(std::min<long long>(headline.error_spans, 1'000'000'000));
    facts.top_finding = headline.top_finding;
    facts.channel = channel;
    return facts;
}

// The usual durations of the summary's spans; nullopt when no source is wired.
awaitable<std::optional<BaselineResult>> fetch_baselines(
    const Ports& ports, std::shared_ptr<Analysis> analysis
) {
    const Summary& summary = analysis->summary;
    if (ports.baselines == nullptr || summary.span_count == 0) co_return std::nullopt;
    BaselineQuery query;
    query.keys = baseline_keys(summary, ports.baseline_options.max_keys);
    query.trace_id = summary.trace_id;
    query.window_hours = ports.baseline_options.window_hours;
    co_return co_await ports.baselines->baselines(std::move(query));
}

awaitable<void> fetch_into(
    const Ports& ports, TraceQuery query, ProgressFn progress, std::shared_ptr<FetchResult> out
) {
    *out = co_await ports.traces.fetch(std::move(query), std::move(progress));
}

// The fetch; when it outlasts ports.patience, `tell` runs beside it (the Patience port).
awaitable<FetchResult> fetch_with_patience(const Ports& ports, AnalysisRequest& request) {
    auto out = std::make_shared<FetchResult>();
    Step step = [&ports, query = std::move(request.query), progress = request.progress, out] {
        return fetch_into(ports, query, progress, out);
    };
    if (ports.patient) {
        co_await ports.patient(std::move(step), ports.patience, std::move(request.still_waiting));
    } else {
        co_await step();
    }
    co_return std::move(*out);
}

}  // namespace

std::string analysis_problem(const std::string& trace_id, const std::string& why) {
    return fmt::format(
        "Could not analyse trace `{}`: {}",
        slack_escape(trace_id, SlackSpan::code),
        slack_escape_marked(why)
    );
}

void apply_baseline_result(
    Summary& summary,
    const TraceTree& tree,
    const std::optional<BaselineResult>& result,
    const BaselineOptions& options
) {
    if (!result) return;  // no source: the summary says nothing about baselines
    if (result->status != FetchStatus::found) {
        mark_no_baseline(
            summary,
            BaselineOverview::State::unavailable,
            fmt::format("usual durations could not be fetched ({}).", result->message)
        );
        return;
    }
    apply_baselines(summary, tree, result->stats, options, result->window);
}

awaitable<Result<SharedAnalysis>> analyse_trace(const Ports& ports, AnalysisRequest request) {
    auto analysis = std::make_shared<Analysis>();
    auto fetching = fetch_with_patience(ports, request);  // named: GCC 12
    analysis->fetched = co_await std::move(fetching);
    if (analysis->fetched.status != FetchStatus::found || !analysis->fetched.tree) {
        co_return make_error(analysis->fetched.message);
    }
    std::function<void()> summarise = [analysis] {
        auto& notes = analysis->fetched.notes;
        analysis->summary = summarize(analysis->tree());
        analysis->summary.notes.insert(analysis->summary.notes.end(), notes.begin(), notes.end());
    };
    auto summarised = run_offloaded(ports.offload, std::move(summarise));  // named: GCC 12
    co_await std::move(summarised);
    auto baselines = fetch_baselines(ports, analysis);  // named: GCC 12
    auto usual = co_await std::move(baselines);
    std::function<void()> compare = [analysis,
                                     usual = std::move(usual),
                                     options = ports.baseline_options,
                                     channel = request.channel] {
        apply_baseline_result(analysis->summary, analysis->tree(), usual, options);
        analysis->facts = facts_of(analysis->summary, channel);
    };
    auto compared = run_offloaded(ports.offload, std::move(compare));  // named: GCC 12
    co_await std::move(compared);
    // Back on the I/O thread, the only one that touches the RecentStore. Everyone in the workspace
    // sees the Home tab: direct messages (D…) and legacy private groups (G…) stay out of it.
    if (ports.recent != nullptr && !request.team_id.empty() &&
        !private_conversation(request.channel)) {
        if (ports.epoch_seconds) analysis->facts.at_epoch_s = ports.epoch_seconds();
        auto remembering = ports.recent->remember(request.team_id, analysis->facts);  // GCC 12
        co_await std::move(remembering);
    }
    co_return SharedAnalysis(std::move(analysis));
}

}  // namespace nra
