// Stats → Report: judge every endpoint against its thresholds, keep breaches open with hysteresis,
// compare with the previous window, score impact, rank, cut to the top N, and evaluate the SLOs.
//
// Semantics (copied to docs/improve.md):
// - Thresholds: the defaults, then every override whose service glob AND endpoint glob match, in
//   order; a later override wins field by field (thresholds_for in improve_config.hpp).
// - Low traffic: an endpoint with throughput_rpm < min_throughput_rpm is listed but not judged: no
//   breaches, no impact, not counted in `judged`.
// - Breaches: p95_ms > p95 threshold; error_rate > error-rate threshold; error-aware Apdex <
//   apdex_min. SLOs are service-level (Report::slos); an SLO whose budget is spent adds a note.
// - Hysteresis: when the previous window breached a metric and the current value is back within
//   the threshold but not yet clear of the band, the breach stays, flagged `lingering`. Clear means
//   value <= threshold × hysteresis for p95 and error rate; for Apdex (higher is better) the
//   shortfall must shrink the same way: 1 − apdex <= (1 − apdex_min) × hysteresis (0.85 and 0.9 →
//   clear at 0.865 or more). Lingering breaches count as breaching, so automatic tickets do not
//   flap, and they never open a change of "new_breach".
// - Change versus the previous window (same endpoint name): new_breach (breaching now, not before,
//   or the endpoint is new and breaching), fixed (breached before, not now), otherwise worse /
//   better when the primary metric moved more than 10 % (the primary breach's metric, p95 for
//   endpoints without breaches), else same. The previous window is judged with today's thresholds.
//   When the previous window has no endpoints at all (not fetched), every change is `same`.
// - Impact, for breaching endpoints only (0 otherwise). total = Σ count over judged endpoints,
//   time = Σ count × avg_ms over all endpoints. Three shares, the largest wins (impact_basis):
//     error_budget   = errors / (b_err × total); b_err = 1 − target of the first availability SLO
//                      whose endpoint glob matches, else the endpoint's error-rate threshold;
//     latency_budget = slow / ((1 − target) × total) when a latency SLO matches
//     (EndpointStats::slow), excess_latency = count × max(0, p95 − p95 threshold) / time otherwise;
//     dissatisfaction = (count − satisfied − tolerating/2) / the same summed over judged endpoints
//                      (New Relic's "Apdex most dissatisfying"), only when Apdex breaches.
//   So 1.0 on error_budget means "this endpoint alone used the whole window's error budget", and a
//   rarely-called slow endpoint ranks below a busy, moderately slow one.
// - time_share = count × avg_ms / time (New Relic's "Total % time").
// - Ranking: breaching endpoints by impact desc (time_share, then name, break ties), then the rest
//   by time_share desc. Report::endpoints keeps the first config.top_endpoints (all when <= 0);
//   judged, breaching, low_traffic and breaches_by_metric count every endpoint.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "nra/report/endpoint_stats.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"

namespace nra {

// One SLO of the service: its spec, and its counts when the metrics source could fetch them
// (else `problem` says why, in one plain sentence).
struct SloInput {
    SloSpec spec;
    std::optional<SloCounts> counts;
    std::string problem;
};

Report build_report(
    const ServiceStats& stats, const ImproveConfig& config, const std::vector<SloInput>& slos
);

// Indices into report.endpoints of the first n breaching endpoints (the top of the ranking): the
// ones that get trace-grounded suggestions.
std::vector<std::size_t> suggestion_targets(const Report& report, int n);

// "nra-fp-" + 12 hex digits of FNV-1a 64 over service, endpoint and breach kind: stable across
// runs and versions, and a valid Jira label ([a-z0-9-]).
std::string ticket_fingerprint(
    const std::string& service, const std::string& endpoint, const std::string& breach_kind
);

// The metric of the endpoint's most important breach ("p95_ms", "error_rate", "apdex"): open
// breaches before lingering ones, then the largest excess over the threshold relative to it
// (for Apdex: shortfall (1 − value) / (1 − apdex_min)). "" when it has no breach.
std::string primary_breach_kind(const EndpointReport& endpoint);

}  // namespace nra
