// Produces one /improve report through the ports: the service's endpoint statistics (this window
// and the previous one), its SLOs, and, for the top breaching endpoints, reasons found in their
// slowest sampled traces. Shared by /improve, the Jira button, the CLI and the scheduler.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/improve_config.hpp"
#include "nra/ports/metrics_source.hpp"
#include "nra/ports/offload.hpp"
#include "nra/ports/trace_source.hpp"
#include "nra/report.hpp"

namespace nra {

// The ports a report needs (references to app-lifetime objects; pass by value).
struct ReportPorts {
    MetricsSource& metrics;
    TraceSource& traces;
    const ImproveConfig& config;
    Offload offload;  // where building and trace analysis run; empty: inline
};

struct Services;
// The report ports of a Slack handler's services (metrics and /improve must be wired).
ReportPorts report_ports_of(const Services& services);

struct ReportRequest {
    std::string service;
    int window_days = 0;      // 0: the configured window
    bool suggestions = true;  // fetch and analyse the slowest traces of the top endpoints
};

struct ReportOutcome {
    bool ok = false;
    std::string problem;  // one line for the user when !ok (unknown service, New Relic down…)
    Report report;
};

boost::asio::awaitable<ReportOutcome> produce_report(ReportPorts ports, ReportRequest request);

// `/improve` argument checks, shared with the CLI: a plausible service name (1–255 printable
// characters) and a window such as "7d" (1–30 days). Empty string: fine; else the problem.
std::string check_service_name(const std::string& service);
int parse_window_days(const std::string& text);  // "7d", "14", "30d" → days; 0 when invalid

// `name` quoted in plain text of ours (a problem sentence), its own backticks made apostrophes so
// that slack_escape_marked sees only our pairs.
std::string quoted_name(std::string_view name);

// The services with data, each reported without trace suggestions, most breaches first.
struct OverviewOutcome {
    bool ok = false;
    std::string problem;
    std::vector<Report> reports;
};
boost::asio::awaitable<OverviewOutcome> produce_overview(ReportPorts ports, int max_services);

}  // namespace nra
