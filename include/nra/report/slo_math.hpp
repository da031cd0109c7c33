// SLO arithmetic from the Google SRE Workbook ("Implementing SLOs", "Alerting on SLOs"):
// attainment, error budget left, burn rate, burn-rate factors and time to exhaustion. Pure
// functions.
#pragma once

#include <cstdint>
#include <optional>

#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"

namespace nra::slo {

// SLI: good / valid = (total − bad) / total. nullopt without events (total <= 0). `bad` is clamped
// to 0..total so inconsistent counts never produce a ratio outside 0..1.
std::optional<double> attainment(std::int64_t total, std::int64_t bad);

// Error budget left over the window: 1 − (bad/total) / (1 − target). 1 = untouched, 0 = spent,
// negative = overspent (−0.3: 30 % more than allowed). nullopt without events or when the target
// is not in (0, 1).
// Example: 99.9 % of 3,000,000 requests allows 3,000 errors; 1,500 errors leave 0.5.
std::optional<double> budget_remaining(std::int64_t total, std::int64_t bad, double target);

// How fast the budget burns relative to the SLO: (bad/total) / (1 − target). 1 spends exactly the
// budget over the SLO window; at 99.9 %, a 0.1 % error rate is burn rate 1.
std::optional<double> burn_rate(std::int64_t total, std::int64_t bad, double target);

// Burn rate that spends `budget_fraction` of the budget in `window_hours` of a `period_hours` SLO
// window: fraction × period / window (Sloth's getBurnRateFactor). 0.02, 720, 1 → 14.4;
// 0.05, 720, 6 → 6; 0.1, 720, 24 → 3; 0.1, 720, 72 → 1; 0.02, 672, 1 → 13.44. 0 when window <= 0.
double burn_rate_for_budget(double budget_fraction, double period_hours, double window_hours);

// Share of the budget a burn rate spends in a window: burn × window / period (14.4, 1, 720 → 0.02).
// 0 when period <= 0.
double budget_consumed(double burn_rate, double window_hours, double period_hours);

// Hours until the whole budget is gone at this burn rate: period / burn (Workbook Table 5-4: 720 h
// at burn 1, 72 h at 10, 43.2 min at 1,000). +infinity when burn <= 0.
double hours_to_exhaustion(double burn_rate, double period_hours);

// One SLO evaluated: attainment and budget over the SLO window (counts.total/bad), burn rate over
// the recent window (counts.recent_*). Sets `problem` when there were no events or the target is
// invalid.
SloReport evaluate(const SloSpec& spec, const SloCounts& counts);

}  // namespace nra::slo
