// Applying baselines to a summary: which (service, name) pairs to ask for, and the verdicts,
// unusual time and finding contexts once the usual durations are known. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nra/analysis/baseline.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"

namespace nra {

// The pairs worth a baseline, most important first: the root, the critical-path spans by their
// time on the path, then the slow spans; distinct, at most `max_keys`.
std::vector<BaselineKey> baseline_keys(const Summary& summary, std::size_t max_keys);
// The same pairs, then in the room left up to 3 callees of each client or database pair
// (callee_key of the spans behind it), so calls to each callee are compared with calls to that
// callee; the bare pair stays as the fallback. At most `max_keys` in all.
std::vector<BaselineKey> baseline_keys(
    const Summary& summary, const TraceTree& tree, std::size_t max_keys
);

// Sets every segment's, row's and slow span's `baseline`, each finding's `context` (findings
// re-ordered: unusual first, standing last, by saving within each) and `summary.baseline`
// (state applied, `window` as given, unusual_ms, the unusual spans, the request's verdict).
// `tree` is the tree the summary was made from. Unusual time is attributed bottom-up along the
// critical path (see baseline_apply.cpp), so it never exceeds the request's duration.
void apply_baselines(
    Summary& summary,
    const TraceTree& tree,
    const std::vector<BaselineStats>& stats,
    const BaselineOptions& options,
    std::string window
);

// No verdicts (any applied ones are cleared): records why (state not_asked or unavailable) in
// summary.baseline.note, a full sentence.
void mark_no_baseline(Summary& summary, BaselineOverview::State state, std::string note);

}  // namespace nra
