// Private to the report code: judging one endpoint (breaches, hysteresis, change), impact, and the
// metric helpers the builder, the renderers and the ticket text share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"

namespace nra::report_detail {

inline constexpr double kChangeThreshold = 0.10;  // "worse"/"better": moved more than 10 %

// The value of "p95_ms", "error_rate" or "apdex" in stats; nullopt when unknown.
std::optional<double> metric_value(const EndpointStats& stats, std::string_view metric);
// Apdex is the only metric where a lower value is worse.
bool higher_is_worse(std::string_view metric);
// Open (non-lingering) breaches of stats against thresholds, in the order p95, error rate, Apdex.
std::vector<Breach> plain_breaches(const EndpointStats& stats, const Thresholds& thresholds);
// plain_breaches plus lingering ones kept open by hysteresis (report_build.hpp explains).
std::vector<Breach> judge(
    const EndpointStats& stats,
    const std::optional<EndpointStats>& previous,
    const Thresholds& thresholds,
    double hysteresis
);
// How far past its threshold a breach is, relative to the threshold (1 = at the threshold).
double severity(const Breach& breach);
// The most important breach (report_build.hpp: primary_breach_kind), or null.
const Breach* primary_breach(const std::vector<Breach>& breaches);
// The metric the change is measured on: the primary breach's, else "p95_ms".
std::string primary_metric(const std::vector<Breach>& breaches);
// Relative change of `metric`, positive = worse; nullopt when either value is unknown. From 0 to
// something worse it is +infinity.
std::optional<double> relative_worsening(
    const EndpointStats& now, const EndpointStats& before, std::string_view metric
);
Change classify_change(
    const std::vector<Breach>& now,
    const std::optional<EndpointStats>& previous,
    const Thresholds& thresholds,
    const EndpointStats& stats
);

// Impact scoring and ranking of all endpoints (report_build.hpp); `slos` are the service's SLOs.
void score_impact(std::vector<EndpointReport>& endpoints, const std::vector<SloSpec>& slos);
void rank(std::vector<EndpointReport>& endpoints);

}  // namespace nra::report_detail
