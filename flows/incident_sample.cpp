#include "incident_sample.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "analyse_trace.hpp"
#include "improve_report.hpp"
#include "incident_report.hpp"
#include "trace_extras.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::chrono::seconds kBatchPatience{120};  // a batch of fetches, big traces included
constexpr std::size_t kBlastSuspects = 3;
constexpr std::int64_t kChangeLookbackMs = std::int64_t{24} * 3'600'000;

struct Slot {
    std::string trace_id;
    WindowSample::Reason reason = WindowSample::Reason::failed;
    std::optional<Result<SharedAnalysis>> result;  // unset: did not end in time
};

awaitable<void> analyse_into(std::shared_ptr<const Ports> quiet, std::shared_ptr<Slot> slot) {
    AnalysisRequest request;
    request.query.trace_id = slot->trace_id;
    auto analysing = analyse_trace(*quiet, std::move(request));  // named: GCC 12
    slot->result = co_await std::move(analysing);
}

// /trace's analysis without the per-trace extras that the window asks once (logs, blast,
// typical requests, deployments), without App Home records and "still waiting" notices.
std::shared_ptr<const Ports> quiet_ports(const Ports& ports) {
    auto quiet = std::make_shared<Ports>(ports);
    quiet->context = nullptr;
    quiet->recent = nullptr;
    quiet->patient = {};
    return quiet;
}

awaitable<std::vector<std::shared_ptr<Slot>>> fetch_all(
    const Ports& ports, std::vector<WindowSample> chosen
) {
    const auto quiet = quiet_ports(ports);
    std::vector<std::shared_ptr<Slot>> slots;
    for (const auto& s : chosen) {
        auto slot = std::make_shared<Slot>();
        slot->trace_id = s.trace_id;
        slot->reason = s.reason;
        slots.push_back(std::move(slot));
    }
    for (std::size_t at = 0; at < slots.size(); at += kParallelFetches) {
        std::vector<std::shared_ptr<StartedStep>> started;
        for (std::size_t i = at; i < std::min(slots.size(), at + kParallelFetches); ++i) {
            Step step = [quiet, slot = slots[i]] { return analyse_into(quiet, slot); };
            auto starting = start_step(ports.background, std::move(step));  // named: GCC 12
            started.push_back(co_await std::move(starting));
        }
        for (const auto& s : started) {
            auto waiting = s->wait(kBatchPatience);  // named: GCC 12
            co_await std::move(waiting);
        }
    }
    co_return slots;
}

// "2 of 20 traces could not be analysed: trace `…`: not found; …" (the first three reasons).
std::string fetch_note(const std::vector<std::shared_ptr<Slot>>& slots) {
    std::vector<std::string> reasons;
    std::size_t failed = 0;
    for (const auto& s : slots) {
        if (s->result && *s->result) continue;
        ++failed;
        if (reasons.size() >= 3) continue;
        const auto why = s->result ? s->result->error() : std::string("no answer in time");
        reasons.push_back(fmt::format("trace {}: {}", quoted_name(s->trace_id), why));
    }
    if (failed == 0) return {};
    return fmt::format(
        "{} of {} traces could not be analysed ({}{}).",
        failed,
        slots.size(),
        fmt::join(reasons, "; "),
        failed > reasons.size() ? "; …" : ""
    );
}

awaitable<std::vector<DeploymentEvent>> deployments_near(
    const Ports& ports, std::vector<SharedAnalysis> analyses
) {
    if (ports.context == nullptr || analyses.empty()) co_return std::vector<DeploymentEvent>{};
    ChangeQuery query;
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = 0;
    for (const auto& a : analyses) {
        const auto& tree = a->tree();
        for (const auto& s : tree.trace.spans) {
            if (std::find(query.services.begin(), query.services.end(), s.service) ==
                    query.services.end() &&
                query.services.size() < 20) {
                query.services.emplace_back(s.service);
            }
        }
        const auto start_ms = a->summary.start_us / 1000;
        first = std::min(first, start_ms);
        last = std::max(last, start_ms + static_cast<std::int64_t>(a->summary.duration_ms) + 1);
    }
    query.from_ms = first - kChangeLookbackMs;
    query.to_ms = last;
    query.deadline = ports.context_deadline;
    auto asking = ports.context->changes(std::move(query));  // named: GCC 12
    auto changes = co_await std::move(asking);
    co_return changes.status == FetchStatus::found ? std::move(changes.events)
                                                   : std::vector<DeploymentEvent>{};
}

// For each analysis, the index of the typical request sampled for its endpoint, else one from
// the window (typical_in_window), else -1.
std::vector<int> typical_indexes(
    const std::vector<std::shared_ptr<Slot>>& slots, const std::vector<const TraceTree*>& trees
) {
    auto out = typical_in_window(trees);
    std::map<std::pair<std::string, std::string>, int> sampled;
    for (std::size_t i = 0; i < trees.size(); ++i) {
        const auto& t = *trees[i];
        if (slots[i]->reason != WindowSample::Reason::typical || t.root < 0 || any_span_failed(t))
            continue;
        sampled.emplace(
            std::pair(std::string(t.span(t.root).service), std::string(t.span(t.root).name)), int(i)
        );
    }
    for (std::size_t i = 0; i < trees.size(); ++i) {
        const auto& t = *trees[i];
        if (t.root < 0) continue;
        const auto it =
            sampled.find({std::string(t.span(t.root).service), std::string(t.span(t.root).name)});
        if (it != sampled.end() && it->second != int(i)) out[i] = it->second;
    }
    return out;
}

awaitable<void> add_blast(
    const Ports& ports, IncidentReport& report, std::vector<SharedAnalysis> analyses
) {
    if (ports.context == nullptr) co_return;
    for (std::size_t i = 0; i < report.suspects.size() && i < kBlastSuspects; ++i) {
        auto& suspect = report.suspects[i];
        if (suspect.evidence.empty()) continue;
        const auto it = std::find_if(analyses.begin(), analyses.end(), [&](const auto& a) {
            return a->summary.trace_id == suspect.evidence.front().trace_id;
        });
        if (it == analyses.end()) continue;
        const auto plan = plan_extras(ports, (*it)->summary, (*it)->tree());
        if (!plan.blast) continue;
        ExtrasPlan only;
        only.blast = plan.blast;
        only.slo = plan.slo;
        only.baselines = plan.baselines;  // slowness is judged against the usual p99
        auto into = std::make_shared<Extras>();
        auto asking = fetch_extras(ports, std::move(only), into);  // named: GCC 12
        co_await std::move(asking);
        Summary copy = (*it)->summary;
        apply_extras(copy, (*it)->tree(), *into, true, ports.baseline_options);
        suspect.blast = copy.blast_radius;
    }
}

}  // namespace

awaitable<IncidentReport> analyse_window_live(const Ports& ports, WindowRun run) {
    IncidentReport empty;
    empty.live = true;
    empty.service = run.service;
    empty.since_ms = run.window.since_ms;
    empty.until_ms = run.window.until_ms;
    if (run.asked.empty()) {
        empty.notes.push_back(fmt::format(
            "Nothing stands out: no endpoint of {} failed or slowed beyond its usual level in the "
            "window.",
            quoted_name(run.service)
        ));
        co_return empty;
    }
    SampleQuery query{run.service, run.window, run.asked, 5};
    auto sampling = ports.metrics->window_samples(std::move(query));  // named: GCC 12
    auto offered = co_await std::move(sampling);
    if (offered.status != FetchStatus::found) {
        empty.notes.push_back("Could not get trace ids from New Relic: " + offered.message);
        co_return empty;
    }
    auto chosen = choose_samples(offered.samples, run.asked, run.max_traces);
    if (chosen.empty()) {
        empty.notes.emplace_back(
            "New Relic holds no trace of the deviating endpoints in the window (are their "
            "traces sampled?)."
        );
        co_return empty;
    }
    auto fetching = fetch_all(ports, std::move(chosen));  // named: GCC 12
    auto slots = co_await std::move(fetching);
    std::vector<SharedAnalysis> analyses;
    std::vector<std::shared_ptr<Slot>> kept;
    for (const auto& s : slots) {
        if (s->result && *s->result) {
            analyses.push_back(**s->result);
            kept.push_back(s);
        }
    }
    auto asking = deployments_near(ports, analyses);  // named: GCC 12
    auto deployments = co_await std::move(asking);
    auto report = std::make_shared<IncidentReport>();
    std::function<void()> aggregate = [report, &analyses, &kept, &deployments, &run] {
        std::vector<Summary> summaries;
        std::vector<const TraceTree*> trees;
        for (const auto& a : analyses) {
            summaries.push_back(a->summary);
            trees.push_back(&a->tree());
        }
        *report = analyse_window(
            run.service, summaries, trees, typical_indexes(kept, trees), deployments
        );
    };
    auto analysed = run_offloaded(ports.offload, std::move(aggregate));  // named: GCC 12
    co_await std::move(analysed);
    report->live = true;
    report->service = run.service;
    report->since_ms = run.window.since_ms;
    report->until_ms = run.window.until_ms;
    if (auto note = fetch_note(slots); !note.empty()) report->notes.push_back(std::move(note));
    auto blasting = add_blast(ports, *report, analyses);  // named: GCC 12
    co_await std::move(blasting);
    co_return std::move(*report);
}

}  // namespace nra
