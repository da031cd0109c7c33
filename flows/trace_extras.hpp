// The extras of an analysis, asked beside it once the trace is summarised: the usual durations
// (baselines), the trace's log lines and its blast radius with the SLO's burn. Each runs on its
// own (ports.background) under its own deadline; what has arrived is applied to a copy of the
// summary, so a summary can be posted early and completed later.
#pragma once

#include <memory>
#include <optional>

#include "nra/analysis/summary.hpp"
#include "ports.hpp"

namespace nra {

// What to ask, decided from the summary before anything is asked.
struct ExtrasPlan {
    std::optional<BaselineQuery> baselines;
    std::optional<LogQuery> logs;
    std::optional<BlastQuery> blast;
    std::optional<SloSpec> slo;  // the SLO of the entry point whose burn goes with the blast
    std::optional<TypicalQuery> typical;
    std::optional<ChangeQuery> changes;
};
ExtrasPlan plan_extras(const Ports& ports, const Summary& summary, const TraceTree& tree);

// Answers as they arrive, written on the I/O thread; copied before any use elsewhere.
struct Extras {
    bool baselines_asked = false, logs_asked = false, blast_asked = false;
    std::optional<BlastSubject> subject;
    std::optional<BaselineResult> baselines;  // nullopt while on its way
    std::optional<LogResult> logs;
    std::optional<BlastResult> blast;
    std::optional<SloBurn> burn;
    bool typical_asked = false, changes_asked = false;
    std::optional<TypicalResult> typical;
    std::shared_ptr<const FetchResult> typical_trace;  // the candidate fetched and fit to compare
    std::string typical_note;  // why no candidate served (all failed, could not be fetched)
    std::optional<ChangeResult> changes;
};

// Asks everything in the plan side by side and returns when each has answered or outlived its
// deadline (ports.context_deadline, plus a margin for the source's own retries).
boost::asio::awaitable<void> fetch_extras(
    const Ports& ports, ExtrasPlan plan, std::shared_ptr<Extras> into
);

// Applies the answers to `summary`. Not arrived: "still coming" while `final` is false, else "no
// answer in time". Runs on the CPU pool with a copy of the extras.
void apply_extras(
    Summary& summary,
    const TraceTree& tree,
    const Extras& extras,
    bool final,
    const BaselineOptions& options
);

}  // namespace nra
