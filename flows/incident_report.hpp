// Produces one /incident report through the ports: the service's endpoints in the window against
// their usual period (MetricsSource), a sample of traces covering every deviating endpoint
// (failed, slower than usual, and a typical request of each), each analysed as /trace does
// (baselines included, fetched side by side), the deployments near them (ContextSource), the
// suspects aggregated (nra/analysis/incident.hpp) with the top suspects' blast radius and SLO
// burn. Shared by /incident, mentions, the terminal and MCP.
#pragma once

#include <cstddef>
#include <string>

#include "nra/analysis/incident.hpp"
#include "nra/result.hpp"
#include "ports.hpp"

namespace nra {

struct IncidentRequest {
    std::string service;
    std::string endpoint;  // empty: every endpoint of the service
    int window_minutes = kDefaultIncidentMinutes;
    std::size_t max_traces = 20;  // traces fetched and analysed (1–50)
};

inline constexpr std::size_t kMaxIncidentTraces = 50;
inline constexpr std::size_t kParallelFetches = 4;  // within New Relic's concurrency limits

// The error is one plain line whose backticks mark names (unknown service with "did you mean",
// bad window, New Relic down, not set up): Slack callers escape it with slack_escape_marked.
boost::asio::awaitable<Result<IncidentReport>> produce_incident(
    const Ports& ports, IncidentRequest request
);

// "/incident is not set up on this server." when ports.metrics is null, else "".
std::string incident_unavailable(const Ports& ports);

}  // namespace nra
