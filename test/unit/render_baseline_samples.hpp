// Hand-built summaries with baselines applied (the verdicts apply_baselines would set), for the
// renderer tests: the small checkout trace with two spans slower than usual, one usual and one
// unusually fast, and variants for the other states.
#pragma once

#include <string>

#include "nra/analysis/summary.hpp"
#include "unit/render_samples.hpp"

namespace nra::test {

inline Baseline slower(double duration, double p50, double p99, double unusual) {
    return {BaselineVerdict::slower, duration, 500, p50, p50 * 1.5, p99, duration / p50, unusual};
}

inline Baseline usual(double duration, double p50) {
    return {BaselineVerdict::normal, duration, 800, p50, p50 * 1.2, p50 * 1.5, duration / p50, 0};
}

// small_summary (folded rows) with baselines: SELECT items 700 ms (usually 35 ms, ×20) and
// POST /charge 400 ms (usually 20 ms, ×20) are slower; the checkout handler is usual.
inline Summary baseline_summary() {
    Summary s = folded_summary();
    const Baseline select = slower(700, 35, 80, 800);
    const Baseline charge = slower(400, 20, 45, 400);
    const Baseline handler = usual(330, 300);
    s.critical_path[1].baseline = handler;
    s.critical_path[2].baseline = select;
    s.critical_path[3].baseline = charge;
    s.critical_path[4].baseline = handler;
    s.path_rows[0].baseline = Baseline{};  // no_baseline: too few samples
    s.path_rows[1].baseline = handler;
    s.path_rows[2].baseline = select;
    s.path_rows[3].baseline = charge;
    s.slow_spans[0].baseline = select;
    s.slow_spans[1].baseline = charge;
    s.findings[0].context = FindingContext::standing;
    s.findings[2].context = FindingContext::unusual;
    BaselineOverview& o = s.baseline;
    o.state = BaselineOverview::State::applied;
    o.window = "last 24 h";
    o.unusual_ms = 1200;
    o.judged_spans = 5;
    o.slower_spans = 2;
    o.unusual = {
        {"c3", "order-service", "SELECT items", select},
        {"d4", "payment-service", "POST /charge", charge},
    };
    return s;
}

// The same request on a quiet day: every judged span took its usual time.
inline Summary usual_summary() {
    Summary s = baseline_summary();
    for (auto& segment : s.critical_path) {
        if (segment.baseline) segment.baseline = usual(segment.duration_ms, segment.duration_ms);
    }
    for (auto& row : s.path_rows) {
        if (row.baseline) row.baseline = usual(row.duration_ms, row.duration_ms);
    }
    for (auto& span : s.slow_spans) span.baseline = usual(span.duration_ms, span.duration_ms);
    s.baseline.unusual_ms = 0;
    s.baseline.slower_spans = 0;
    s.baseline.unusual.clear();
    s.baseline.request = Baseline{BaselineVerdict::normal, 1450, 900, 1200, 1400, 1600, 1.2, 0};
    return s;
}

}  // namespace nra::test
