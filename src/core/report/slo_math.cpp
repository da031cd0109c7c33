// SLO arithmetic (SRE Workbook formulas, see slo_math.hpp for the worked examples).
#include "nra/report/slo_math.hpp"

#include <algorithm>
#include <limits>

namespace nra::slo {
namespace {

bool valid_target(double target) {
    return target > 0.0 && target < 1.0;
}

// bad / total with bad clamped to 0..total; nullopt without events.
std::optional<double> bad_ratio(std::int64_t total, std::int64_t bad) {
    if (total <= 0) {
        return std::nullopt;
    }
    const std::int64_t clamped = std::clamp<std::int64_t>(bad, 0, total);
    return static_cast<double>(clamped) / static_cast<double>(total);
}

}  // namespace

std::optional<double> attainment(std::int64_t total, std::int64_t bad) {
    const auto ratio = bad_ratio(total, bad);
    if (!ratio) {
        return std::nullopt;
    }
    return 1.0 - *ratio;
}

std::optional<double> budget_remaining(std::int64_t total, std::int64_t bad, double target) {
    const auto burn = burn_rate(total, bad, target);
    if (!burn) {
        return std::nullopt;
    }
    return 1.0 - *burn;
}

std::optional<double> burn_rate(std::int64_t total, std::int64_t bad, double target) {
    const auto ratio = bad_ratio(total, bad);
    if (!ratio || !valid_target(target)) {
        return std::nullopt;
    }
    return *ratio / (1.0 - target);
}

double burn_rate_for_budget(double budget_fraction, double period_hours, double window_hours) {
    if (window_hours <= 0.0) {
        return 0.0;
    }
    return budget_fraction * period_hours / window_hours;
}

double budget_consumed(double burn_rate, double window_hours, double period_hours) {
    if (period_hours <= 0.0) {
        return 0.0;
    }
    return burn_rate * window_hours / period_hours;
}

double hours_to_exhaustion(double burn_rate, double period_hours) {
    if (burn_rate <= 0.0) {
        return std::numeric_limits<double>::infinity();
    }
    return period_hours / burn_rate;
}

SloReport evaluate(const SloSpec& spec, const SloCounts& counts) {
    SloReport out;
    out.name = spec.name;
    out.kind = spec.kind;
    out.target = spec.target;
    out.window_days = spec.window_days;
    if (!valid_target(spec.target)) {
        out.problem = "The target must be between 0 and 100 %.";
        return out;
    }
    out.attainment = attainment(counts.total, counts.bad);
    out.budget_remaining = budget_remaining(counts.total, counts.bad, spec.target);
    out.burn_rate = burn_rate(counts.recent_total, counts.recent_bad, spec.target);
    if (!out.attainment) {
        out.problem = "No requests in the SLO window.";
    }
    return out;
}

}  // namespace nra::slo
