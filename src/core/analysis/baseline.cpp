// Verdict of one duration against its baseline. The rules, in order:
//   no_baseline  no stats, fewer than min_samples, or no positive p50;
//   slower       duration > p99 (strictly: a tie with p99 is still usual), duration ≥
//                slower_factor × p50 and duration − p50 ≥ min_delta_ms;
//   faster       duration ≤ faster_factor × p50 and p50 − duration ≥ min_delta_ms;
//   normal       everything else.
// p99 stands in for "the usual range": one request in a hundred goes beyond it. The factor and
// the delta keep tight distributions (p99 ≈ p50) and sub-millisecond spans from shouting.
// A missing p99 falls back to p90, then p50.
#include "nra/analysis/baseline.hpp"

#include <fmt/format.h>

#include <cmath>

namespace nra {

std::string_view to_string(BaselineVerdict verdict) {
    switch (verdict) {
        case BaselineVerdict::normal:
            return "normal";
        case BaselineVerdict::slower:
            return "slower";
        case BaselineVerdict::faster:
            return "faster";
        case BaselineVerdict::no_baseline:
            break;
    }
    return "no_baseline";
}

std::string_view to_string(FindingContext context) {
    switch (context) {
        case FindingContext::unusual:
            return "unusual";
        case FindingContext::standing:
            return "standing";
        case FindingContext::unknown:
            break;
    }
    return "unknown";
}

std::string baseline_window_text(int hours) {
    if (hours >= 48 && hours % 24 == 0) return fmt::format("last {} days", hours / 24);
    return fmt::format("last {} h", hours);
}

BaselineVerdict judge_duration(
    double duration_ms, const BaselineStats* stats, const BaselineOptions& options
) {
    if (stats == nullptr || stats->count < options.min_samples || !stats->p50_ms ||
        !std::isfinite(*stats->p50_ms) || *stats->p50_ms <= 0 || !std::isfinite(duration_ms)) {
        return BaselineVerdict::no_baseline;
    }
    const double p50 = *stats->p50_ms;
    const double p99 = stats->p99_ms.value_or(stats->p90_ms.value_or(p50));
    if (duration_ms > p99 && duration_ms >= options.slower_factor * p50 &&
        duration_ms - p50 >= options.min_delta_ms) {
        return BaselineVerdict::slower;
    }
    if (duration_ms <= options.faster_factor * p50 && p50 - duration_ms >= options.min_delta_ms) {
        return BaselineVerdict::faster;
    }
    return BaselineVerdict::normal;
}

}  // namespace nra
