// The suspects' evidence from outside the trace itself: the typical request and the changes.
#include <fmt/format.h>

#include <cmath>

#include "nra/analysis/summary.hpp"
#include "suspect_parts.hpp"

namespace nra::suspect_parts {

// What a typical request of the endpoint did differently (typical.hpp): a call no longer made
// is the caller's (it returned early or skipped it), extra or repeated calls are the caller's
// too; without baselines, an operation slower than in the typical request is latency evidence.
void add_structure(const Summary& summary, Ranking& ranking) {
    if (!summary.typical || !summary.typical->similar_shape) return;
    using K = TypicalDiff::Kind;
    const auto& typical = *summary.typical;
    const double base = std::max(typical.duration_ms, summary.duration_ms);
    const bool baselines = summary.baseline.state == BaselineOverview::State::applied;
    // A request that took its usual time: extra calls are how this endpoint usually behaves for
    // some inputs (a bigger cart), not a fault; a call no longer made still is one.
    const bool usual_time = baselines && summary.baseline.request &&
                            summary.baseline.request->verdict != BaselineVerdict::slower;
    for (const auto& d : typical.diff) {
        // Calls a failure cut short are the failure's consequence: the error evidence covers it.
        if (!d.top || d.after_failure) continue;
        Contribution part;
        part.kind = SuspectKind::structure;
        part.operation = d.operation;
        part.evidence.span_ids = {d.span_id};
        std::string service = d.caller;
        if (d.kind == K::missing || d.kind == K::fewer) {
            part.weight = std::max(-d.delta_ms, 0.3 * base);
            part.evidence.span_ids.clear();  // the span is in the typical trace
            part.evidence.text = fmt::format(
                "{} made {} {} time{} in the typical request, {} here",
                quoted(d.caller),
                quoted(d.operation),
                d.typical_count,
                d.typical_count == 1 ? "" : "s",
                d.count == 0 ? "not once"
                             : fmt::format("{} time{}", d.count, d.count == 1 ? "" : "s")
            );
        } else if ((d.kind == K::extra || d.kind == K::more) && !usual_time) {
            part.excess_ms = std::max(d.delta_ms, 0.0);
            part.weight = std::max(part.excess_ms, 0.05 * base);
            part.evidence.text = fmt::format(
                "{} ran {} {} time{} ({} in the typical request), {} on the critical path",
                quoted(d.caller),
                quoted(d.operation),
                d.count,
                d.count == 1 ? "" : "s",
                d.typical_count,
                (d.delta_ms >= 0 ? "+" : "−") + ms(std::abs(d.delta_ms))
            );
        } else if (d.kind == K::slower && !baselines) {
            part.kind = SuspectKind::latency;
            part.excess_ms = d.delta_ms;
            part.weight = d.delta_ms;
            service = d.service;
            part.evidence.text = fmt::format(
                "{} held the critical path {} longer than in the typical request",
                quoted(d.operation),
                ms(d.delta_ms)
            );
        } else {
            continue;
        }
        ranking.add(service, std::move(part));
    }
}

// Changes: a version unlike the typical request's, a deployment shortly before the request.
// A deployment a day ago weighs too little to make a suspect alone; it joins one as evidence.
void add_changes(const Summary& summary, Ranking& ranking) {
    const std::int64_t start_ms = summary.start_us / 1000;
    for (const auto& c : summary.changes) {
        Contribution part;
        part.kind = SuspectKind::change;
        part.operation.clear();
        if (c.kind == "version") {
            part.weight = 0.2 * summary.duration_ms;
            part.evidence.text = fmt::format(
                "{} runs {} here, {} in the typical request",
                quoted(c.service),
                quoted(plain(c.version)),
                quoted(plain(c.previous_version))
            );
        } else if (c.at_ms) {
            const double before_min = static_cast<double>(start_ms - *c.at_ms) / 60'000.0;
            part.weight = (before_min <= 60 ? 0.15 : 0.04) * summary.duration_ms;
            part.evidence.text = fmt::format(
                "{} was deployed{} {} before this request",
                quoted(c.service),
                c.version.empty() ? "" : " " + quoted(plain(c.version)),
                before_min < 1     ? "under a minute"
                : before_min < 120 ? fmt::format("{:.0f} min", before_min)
                                   : fmt::format("{:.0f} h", before_min / 60)
            );
        } else {
            continue;
        }
        ranking.add(c.service, std::move(part));
    }
}

}  // namespace nra::suspect_parts
