// Judging one endpoint: breaches against its thresholds, hysteresis against the previous window,
// and the change classification (report_build.hpp states the rules).
#include <algorithm>
#include <array>
#include <limits>

#include "core/report/report_detail.hpp"

namespace nra::report_detail {
namespace {

constexpr std::array<std::string_view, 3> kMetrics{"p95_ms", "error_rate", "apdex"};

double threshold_of(const Thresholds& t, std::string_view metric) {
    if (metric == "p95_ms") {
        return t.p95_ms;
    }
    return metric == "error_rate" ? t.error_rate : t.apdex_min;
}

bool over(std::string_view metric, double value, double threshold) {
    return higher_is_worse(metric) ? value > threshold : value < threshold;
}

// Still inside the hysteresis band: within the threshold but not yet clear of it. For Apdex the
// shortfall from a perfect score shrinks the same way the value does for the other metrics.
bool in_band(std::string_view metric, double value, double threshold, double hysteresis) {
    if (higher_is_worse(metric)) {
        return value > threshold * hysteresis;
    }
    return 1.0 - value > (1.0 - threshold) * hysteresis;
}

bool judged(const EndpointStats& stats, const Thresholds& thresholds) {
    return stats.throughput_rpm >= thresholds.min_throughput_rpm;
}

}  // namespace

std::optional<double> metric_value(const EndpointStats& stats, std::string_view metric) {
    if (metric == "p95_ms") {
        return stats.p95_ms;
    }
    if (metric == "error_rate") {
        return stats.count > 0 ? std::optional<double>(stats.error_rate()) : std::nullopt;
    }
    if (metric == "apdex") {
        return stats.apdex();
    }
    return std::nullopt;
}

bool higher_is_worse(std::string_view metric) {
    return metric != "apdex";
}

std::vector<Breach> plain_breaches(const EndpointStats& stats, const Thresholds& thresholds) {
    std::vector<Breach> out;
    for (const std::string_view metric : kMetrics) {
        const auto value = metric_value(stats, metric);
        const double threshold = threshold_of(thresholds, metric);
        if (value && over(metric, *value, threshold)) {
            out.push_back(Breach{std::string(metric), *value, threshold, false});
        }
    }
    return out;
}

std::vector<Breach> judge(
    const EndpointStats& stats,
    const std::optional<EndpointStats>& previous,
    const Thresholds& thresholds,
    double hysteresis
) {
    std::vector<Breach> now = plain_breaches(stats, thresholds);
    if (!previous || !judged(*previous, thresholds)) {
        return now;
    }
    std::vector<Breach> out;
    for (const std::string_view metric : kMetrics) {
        const auto open = std::find_if(now.begin(), now.end(), [&](const Breach& b) {
            return b.metric == metric;
        });
        if (open != now.end()) {
            out.push_back(*open);
            continue;
        }
        const auto value = metric_value(stats, metric);
        const auto before = metric_value(*previous, metric);
        const double threshold = threshold_of(thresholds, metric);
        if (value && before && over(metric, *before, threshold) &&
            in_band(metric, *value, threshold, hysteresis)) {
            out.push_back(Breach{std::string(metric), *value, threshold, true});
        }
    }
    return out;
}

double severity(const Breach& breach) {
    const double excess = higher_is_worse(breach.metric) ? breach.value : 1.0 - breach.value;
    const double limit = higher_is_worse(breach.metric) ? breach.threshold : 1.0 - breach.threshold;
    if (limit <= 0.0) {
        return excess > 0.0 ? std::numeric_limits<double>::max() : 1.0;
    }
    return excess / limit;
}

const Breach* primary_breach(const std::vector<Breach>& breaches) {
    const Breach* best = nullptr;
    for (const Breach& b : breaches) {
        // Strictly greater keeps the earlier metric (p95, error rate, Apdex) on ties.
        if (best == nullptr || (best->lingering && !b.lingering) ||
            (best->lingering == b.lingering && severity(b) > severity(*best))) {
            best = &b;
        }
    }
    return best;
}

std::string primary_metric(const std::vector<Breach>& breaches) {
    const Breach* primary = primary_breach(breaches);
    return primary != nullptr ? primary->metric : std::string("p95_ms");
}

std::optional<double> relative_worsening(
    const EndpointStats& now, const EndpointStats& before, std::string_view metric
) {
    const auto a = metric_value(now, metric);
    const auto b = metric_value(before, metric);
    if (!a || !b) {
        return std::nullopt;
    }
    const double delta = higher_is_worse(metric) ? *a - *b : *b - *a;
    if (*b == 0.0) {
        if (delta == 0.0) {
            return 0.0;
        }
        return delta > 0 ? std::numeric_limits<double>::infinity()
                         : -std::numeric_limits<double>::infinity();
    }
    return delta / *b;
}

Change classify_change(
    const std::vector<Breach>& now,
    const std::optional<EndpointStats>& previous,
    const Thresholds& thresholds,
    const EndpointStats& stats
) {
    const bool breaching = !now.empty();
    if (!previous) {
        return breaching ? Change::new_breach : Change::same;
    }
    const bool breached_before =
        judged(*previous, thresholds) && !plain_breaches(*previous, thresholds).empty();
    if (breaching && !breached_before) {
        // A lingering breach needs a breach before it, so this is always an open one.
        return Change::new_breach;
    }
    if (!breaching && breached_before) {
        return Change::fixed;
    }
    const auto moved = relative_worsening(stats, *previous, primary_metric(now));
    if (!moved) {
        return Change::same;
    }
    if (*moved > kChangeThreshold) {
        return Change::worse;
    }
    return *moved < -kChangeThreshold ? Change::better : Change::same;
}

}  // namespace nra::report_detail
