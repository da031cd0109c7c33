#include "analyse_trace.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "nra/analysis/baseline_apply.hpp"
#include "nra/render/render.hpp"
#include "trace_extras.hpp"

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

namespace {

// A new analysis from `base` with a copy of the extras applied, on the CPU pool.
awaitable<std::shared_ptr<Analysis>> with_extras(
    const Ports& ports,
    std::shared_ptr<const FetchResult> fetched,
    Summary base,
    std::shared_ptr<const Extras> extras,
    std::string channel,
    bool final
) {
    auto out = std::make_shared<Analysis>();
    out->fetched = std::move(fetched);
    out->base = std::move(base);
    out->extras = extras;
    std::function<void()> apply =
        [out, copy = *extras, final, channel, options = ports.baseline_options] {
            out->summary = out->base;
            apply_extras(out->summary, out->tree(), copy, final, options);
            out->facts = facts_of(out->summary, channel);
        };
    auto applied = run_offloaded(ports.offload, std::move(apply));  // named: GCC 12
    co_await std::move(applied);
    co_return out;
}

}  // namespace

awaitable<Result<SharedAnalysis>> analyse_trace(const Ports& ports, AnalysisRequest request) {
    auto fetching = fetch_with_patience(ports, request);  // named: GCC 12
    auto fetched = std::make_shared<FetchResult>(co_await std::move(fetching));
    if (fetched->status != FetchStatus::found || !fetched->tree) {
        co_return make_error(fetched->message);
    }
    auto base = std::make_shared<Summary>();
    std::function<void()> summarise = [base, fetched] {
        *base = summarize(*fetched->tree);
        base->notes.insert(base->notes.end(), fetched->notes.begin(), fetched->notes.end());
    };
    auto summarised = run_offloaded(ports.offload, std::move(summarise));  // named: GCC 12
    co_await std::move(summarised);
    auto extras = std::make_shared<Extras>();
    Step asking = [&ports, plan = plan_extras(ports, *base, *fetched->tree), extras] {
        return fetch_extras(ports, plan, extras);
    };
    auto starting = start_step(ports.background, std::move(asking));  // named: GCC 12
    auto running = co_await std::move(starting);
    auto waiting = running->wait(request.wait_for_extras);  // named: GCC 12
    const bool arrived = co_await std::move(waiting);
    auto making = with_extras(ports, fetched, std::move(*base), extras, request.channel, arrived);
    auto analysis = co_await std::move(making);
    if (!arrived) analysis->pending = std::move(running);
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

awaitable<SharedAnalysis> complete_analysis(const Ports& ports, SharedAnalysis analysis) {
    if (!analysis->pending) co_return analysis;
    auto waiting = analysis->pending->wait(std::chrono::hours(24));  // bounded by the extras
    co_await std::move(waiting);
    auto making = with_extras(
        ports, analysis->fetched, analysis->base, analysis->extras, analysis->facts.channel, true
    );
    auto completed = co_await std::move(making);
    completed->facts.at_epoch_s = analysis->facts.at_epoch_s;
    co_return SharedAnalysis(std::move(completed));
}

}  // namespace nra
