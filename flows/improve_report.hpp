// Produces one /improve report through the ports: the service's endpoint statistics (this window
// and the previous one), its SLOs, and, for the top breaching endpoints, reasons found in their
// slowest sampled traces. Shared by /improve, the Jira button, the CLI and the scheduler.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/report/report.hpp"
#include "nra/result.hpp"
#include "ports.hpp"

namespace nra {

struct ReportRequest {
    std::string service;
    int window_days = 0;      // 0: the configured window
    bool suggestions = true;  // fetch and analyse the slowest traces of the top endpoints
};

// The error is one plain line whose backticks mark names (unknown service, New Relic down, not
// set up): Slack callers escape it with slack_escape_marked, the terminal prints it.
boost::asio::awaitable<Result<Report>> produce_report(const Ports& ports, ReportRequest request);

// The services with data, each reported without trace suggestions, most breaches first.
boost::asio::awaitable<Result<std::vector<Report>>> produce_overview(
    const Ports& ports, int max_services
);

// "/improve is not set up on this server." when ports.metrics or ports.improve is null, else "".
std::string improve_unavailable(const Ports& ports);

// `/improve` argument checks, shared with the CLI: a plausible service name (1–255 printable
// characters) and a window such as "7d" (1–30 days). Empty string: fine; else the problem.
std::string check_service_name(const std::string& service);
int parse_window_days(const std::string& text);  // "7d", "14", "30d" → days; 0 when invalid

// "no data for `svc` in the last N days; did you mean `a`, `b`?" (names marked, as every error
// sentence of these flows: Slack callers escape it with slack_escape_marked).
std::string unknown_service(const std::string& service, int days, const StatsResult& stats);

// `name` quoted in plain text of ours (a problem sentence), its own backticks made apostrophes so
// that slack_escape_marked sees only our pairs.
std::string quoted_name(std::string_view name);

}  // namespace nra
