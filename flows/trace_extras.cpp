#include "trace_extras.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "analyse_trace.hpp"
#include "nra/analysis/baseline_apply.hpp"
#include "nra/analysis/suspects.hpp"
#include "nra/analysis/typical.hpp"
#include "nra/report/slo_math.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::int64_t kLogMarginMs = std::int64_t{5} * 60 * 1000;  // logs written around the trace
constexpr std::int64_t kChangeWindowMs = std::int64_t{24} * 3'600'000;  // deployments looked at
constexpr const char* kStillComing = "still coming…";
constexpr const char* kNoAnswer = "New Relic did not answer in time.";

// The SLO whose budget this request spends: same service, endpoint glob matching the entry
// point, and of its kind (availability for a failure, latency for slowness).
std::optional<SloSpec> matching_slo(const Ports& ports, const Summary& summary, bool failure) {
    if (ports.improve == nullptr || ports.metrics == nullptr) return std::nullopt;
    for (const auto& slo : ports.improve->slos) {
        if (slo.service == summary.root.service && glob_match(slo.endpoint, summary.root.name) &&
            (slo.kind == SloKind::availability) == failure) {
            return slo;
        }
    }
    return std::nullopt;
}

awaitable<void> ask_baselines(
    const Ports& ports, BaselineQuery query, std::shared_ptr<Extras> into
) {
    auto asking = ports.baselines->baselines(std::move(query));  // named: GCC 12
    into->baselines = co_await std::move(asking);
}

awaitable<void> ask_logs(const Ports& ports, LogQuery query, std::shared_ptr<Extras> into) {
    auto asking = ports.context->logs(std::move(query));  // named: GCC 12
    into->logs = co_await std::move(asking);
}

// The blast radius, then (once it is there, so a slow SLO query never hides it) the SLO's burn.
awaitable<void> ask_blast(
    const Ports& ports, BlastQuery query, std::optional<SloSpec> slo, std::shared_ptr<Extras> into
) {
    auto asking = ports.context->blast_radius(std::move(query));  // named: GCC 12
    into->blast = co_await std::move(asking);
    if (into->blast->status != FetchStatus::found || !slo) co_return;
    auto counting = ports.metrics->slo_counts(*slo);  // named: GCC 12
    const auto counts = co_await std::move(counting);
    if (counts.status != FetchStatus::found) co_return;
    const auto rate =
        slo::burn_rate(counts.counts.recent_total, counts.counts.recent_bad, slo->target);
    if (rate) into->burn = SloBurn{slo->name, *rate};
}

// Candidates for the typical request, then the first that can serve, fetched (at most two).
awaitable<void> ask_typical(const Ports& ports, TypicalQuery query, std::shared_ptr<Extras> into) {
    const auto began = std::chrono::steady_clock::now();
    auto asking = ports.context->typical(query);  // named: GCC 12
    auto result = co_await std::move(asking);
    constexpr std::size_t kMaxTries = 2;
    for (std::size_t i = 0; i < result.candidates.size() && i < kMaxTries; ++i) {
        // A trace fetch has its own budget: a second try only while half the deadline is left,
        // since an answer after the flow's deadline is never read.
        if (i > 0 && std::chrono::steady_clock::now() - began > query.deadline / 2) break;
        TraceQuery wanted;
        wanted.trace_id = result.candidates[i].trace_id;
        auto fetching = ports.traces.fetch(std::move(wanted), {});  // named: GCC 12
        auto fetched = std::make_shared<FetchResult>(co_await std::move(fetching));
        if (fetched->status != FetchStatus::found || !fetched->tree) {
            into->typical_note = fmt::format(
                "the typical request {} could not be fetched ({}).",
                result.candidates[i].trace_id,
                fetched->message
            );
            continue;
        }
        const TraceTree& tree = *fetched->tree;
        const bool same_endpoint = tree.root >= 0 &&
                                   tree.span(tree.root).service == query.service &&
                                   tree.span(tree.root).name == query.name;
        if (!same_endpoint || any_span_failed(tree)) {
            into->typical_note = "no error-free request of this endpoint could be compared with.";
            continue;
        }
        into->typical_trace = std::move(fetched);
        into->typical_note.clear();
        break;
    }
    into->typical = std::move(result);
}

awaitable<void> ask_changes(const Ports& ports, ChangeQuery query, std::shared_ptr<Extras> into) {
    auto asking = ports.context->changes(std::move(query));  // named: GCC 12
    into->changes = co_await std::move(asking);
}

// The entry point's usual p99 from the baselines' answer; 0 when it has none.
double root_p99(const BaselineResult& result, const BlastSubject& subject) {
    if (result.status != FetchStatus::found) return 0;
    for (const auto& stats : result.stats) {
        if (stats.key.service == subject.service && stats.key.name == subject.name) {
            return stats.p99_ms.value_or(0);
        }
    }
    return 0;
}

// Slowness: only a request slower than its endpoint's usual p99 has a blast radius, so the
// baselines come first. Without them (or when the request was not slow) nothing is asked.
awaitable<void> ask_baselines_then_slowness(
    const Ports& ports,
    BaselineQuery baselines,
    BlastQuery query,
    std::optional<SloSpec> slo,
    std::shared_ptr<Extras> into
) {
    auto usual = ask_baselines(ports, std::move(baselines), into);  // named: GCC 12
    co_await std::move(usual);
    const double p99 = root_p99(*into->baselines, query.subject);
    if (p99 <= 0 || query.subject.trace_ms <= p99) {
        into->blast_asked = false;  // not slow (or unknown): nothing to count
        co_return;
    }
    query.subject.usual_p99_ms = p99;
    into->subject = query.subject;
    auto counting = ask_blast(ports, std::move(query), std::move(slo), into);  // GCC 12
    co_await std::move(counting);
}

// Waits for every started step (each bounded by its source's deadline).
awaitable<void> wait_all(std::vector<std::shared_ptr<StartedStep>> running) {
    for (const auto& r : running) {
        auto waiting = r->wait(std::chrono::hours(24));  // named: GCC 12
        co_await std::move(waiting);
    }
}

// The sources get a little less time than the flow waits for them, so their own "timed out"
// (with its reason) arrives before the flow gives up on them.
std::chrono::milliseconds source_deadline(std::chrono::milliseconds wait) {
    return wait - std::min(wait / 5, std::chrono::milliseconds(2'000));
}

std::string missing_note(bool final) {
    return final ? kNoAnswer : kStillComing;
}

}  // namespace

ExtrasPlan plan_extras(const Ports& ports, const Summary& summary, const TraceTree& tree) {
    ExtrasPlan plan;
    if (summary.span_count == 0) return plan;
    if (ports.baselines != nullptr) {
        BaselineQuery query;
        query.keys = baseline_keys(summary, tree, ports.baseline_options.max_keys);
        query.trace_id = summary.trace_id;
        query.window_hours = ports.baseline_options.window_hours;
        plan.baselines = std::move(query);
    }
    if (ports.context == nullptr) return plan;
    LogQuery logs;
    logs.trace_id = summary.trace_id;
    const std::int64_t start_ms = summary.start_us / 1000;
    logs.from_ms = start_ms - kLogMarginMs;
    logs.to_ms = start_ms + static_cast<std::int64_t>(summary.duration_ms) + kLogMarginMs;
    logs.deadline = source_deadline(ports.context_deadline);
    plan.logs = std::move(logs);
    const std::int64_t end_ms = start_ms + static_cast<std::int64_t>(summary.duration_ms) + 1;
    if (!summary.root.service.empty() && !summary.root.name.empty()) {
        TypicalQuery typical;
        typical.service = summary.root.service;
        typical.name = summary.root.name;
        typical.trace_id = summary.trace_id;
        typical.from_ms = start_ms - std::int64_t{ports.baseline_options.window_hours} * 3'600'000;
        typical.to_ms = start_ms;
        typical.deadline = source_deadline(ports.context_deadline);
        plan.typical = std::move(typical);
    }
    ChangeQuery changes;
    for (const auto& s : summary.services) changes.services.push_back(s.service);
    std::set<std::pair<std::string, std::string>> guids;
    for (const auto& span : tree.trace.spans) {
        const auto guid = attribute(span, "entity.guid");
        if (!guid.empty()) guids.emplace(std::string(guid), std::string(span.service));
    }
    changes.guids.assign(guids.begin(), guids.end());
    changes.from_ms = start_ms - kChangeWindowMs;
    changes.to_ms = end_ms;
    changes.deadline = source_deadline(ports.context_deadline);
    plan.changes = std::move(changes);
    if (auto subject = blast_subject(summary)) {
        BlastQuery blast;
        blast.subject = *subject;
        blast.until_ms = ports.epoch_seconds ? ports.epoch_seconds() * 1000 : 0;
        blast.deadline = source_deadline(ports.context_deadline);
        plan.slo = matching_slo(ports, summary, subject->match == BlastSubject::Match::failure);
        plan.blast = std::move(blast);
    }
    return plan;
}

awaitable<void> fetch_extras(const Ports& ports, ExtrasPlan plan, std::shared_ptr<Extras> into) {
    std::vector<std::shared_ptr<StartedStep>> running;
    const auto start = [&ports](Step step) {
        return start_step(ports.background, std::move(step));
    };
    const bool slowness = plan.blast && plan.blast->subject.match == BlastSubject::Match::slowness;
    if (slowness && !plan.baselines) plan.blast.reset();  // no usual p99: no "slower than usual"
    if (plan.baselines) {
        into->baselines_asked = true;
        Step step = [&ports, q = *plan.baselines, into] { return ask_baselines(ports, q, into); };
        if (slowness) {
            into->blast_asked = true;
            into->subject = plan.blast->subject;
            step = [&ports, q = *plan.baselines, b = *plan.blast, slo = plan.slo, into] {
                return ask_baselines_then_slowness(ports, q, b, slo, into);
            };
            plan.blast.reset();
        }
        auto started = start(std::move(step));
        running.push_back(co_await std::move(started));
    }
    if (plan.logs) {
        into->logs_asked = true;
        auto started = start([&ports, q = *plan.logs, into] { return ask_logs(ports, q, into); });
        running.push_back(co_await std::move(started));
    }
    if (plan.typical) {
        into->typical_asked = true;
        auto started =
            start([&ports, q = *plan.typical, into] { return ask_typical(ports, q, into); });
        running.push_back(co_await std::move(started));
    }
    if (plan.changes) {
        into->changes_asked = true;
        auto started =
            start([&ports, q = *plan.changes, into] { return ask_changes(ports, q, into); });
        running.push_back(co_await std::move(started));
    }
    if (plan.blast) {  // a failure: counted at once
        into->blast_asked = true;
        into->subject = plan.blast->subject;
        auto started = start([&ports, q = *plan.blast, slo = plan.slo, into] {
            return ask_blast(ports, q, slo, into);
        });
        running.push_back(co_await std::move(started));
    }
    // Each source keeps its own (shorter) deadline. The flow waits for all of them together, at
    // most context_deadline; an answer later than that lands in `into`, which nobody reads.
    Step all = [running] { return wait_all(running); };
    auto gathering = start(std::move(all));  // named: GCC 12
    auto gathered = co_await std::move(gathering);
    auto waiting = gathered->wait(ports.context_deadline);  // named: GCC 12
    co_await std::move(waiting);
}

namespace {

// The typical request and the deployments applied (apply_comparison), or why they are not.
void apply_context_comparison(
    Summary& summary, const TraceTree& tree, const Extras& extras, bool final
) {
    const TraceTree* typical = nullptr;
    if (extras.typical_asked) {
        if (!extras.typical) {
            summary.context.typical = missing_note(final);
        } else if (extras.typical->status != FetchStatus::found) {
            summary.context.typical = extras.typical->message;
        } else if (extras.typical_trace && extras.typical_trace->tree) {
            typical = &*extras.typical_trace->tree;
        } else {
            summary.context.typical =
                !extras.typical_note.empty()
                    ? extras.typical_note
                    : "no error-free request of this endpoint in the baseline window.";
        }
    }
    std::vector<DeploymentEvent> deployments;
    if (extras.changes_asked) {
        if (!extras.changes) {
            summary.context.changes = missing_note(final);
        } else if (extras.changes->status != FetchStatus::found) {
            summary.context.changes = extras.changes->message;
        } else {
            deployments = extras.changes->events;
        }
    }
    apply_comparison(summary, tree, typical, deployments);
}

}  // namespace

void apply_extras(
    Summary& summary,
    const TraceTree& tree,
    const Extras& extras,
    bool final,
    const BaselineOptions& options
) {
    if (extras.baselines_asked) {
        if (extras.baselines) {
            apply_baseline_result(summary, tree, extras.baselines, options);
        } else {
            mark_no_baseline(
                summary,
                BaselineOverview::State::unavailable,
                final ? "usual durations: New Relic did not answer in time."
                      : "usual durations are still coming…"
            );
        }
    }
    if (extras.logs_asked) {
        if (!extras.logs) {
            summary.context.logs = missing_note(final);
        } else if (extras.logs->status != FetchStatus::found) {
            summary.context.logs = extras.logs->message;
        } else {
            summary.logs = order_log_lines(extras.logs->lines);
            if (extras.logs->truncated) {
                summary.notes.push_back(fmt::format(
                    "The trace has more log lines than the {} fetched: errors and warnings were "
                    "fetched first.",
                    summary.logs.size()
                ));
            }
        }
    }
    if (extras.blast_asked && extras.subject) {
        if (!extras.blast) {
            summary.context.blast_radius = missing_note(final);
        } else if (extras.blast->status != FetchStatus::found) {
            summary.context.blast_radius = extras.blast->message;
        } else {
            summary.blast_radius = judge_blast_radius(*extras.subject, extras.blast->series);
            summary.blast_radius->slo_burn = extras.burn;
        }
    }
    apply_context_comparison(summary, tree, extras, final);
}

}  // namespace nra
