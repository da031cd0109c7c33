// The trace side of /incident (flows/incident_report.hpp): ask New Relic for trace ids of the
// deviating endpoints, choose the sample, fetch and analyse the traces kParallelFetches at a time
// (as /trace does, with baselines but without logs or blast radius each), ask the deployments
// near them, aggregate, then the blast radius of the top suspects.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nra/analysis/incident.hpp"
#include "ports.hpp"

namespace nra {

struct WindowRun {
    std::string service;
    ReportWindow window;
    std::vector<SampleEndpoint> asked;  // in the order their traces are chosen
    std::size_t max_traces = 20;
};

// The report over the sampled traces (service and window set, endpoints as the traces showed
// them); what could not be done (no ids, fetches that failed) is said in its notes.
boost::asio::awaitable<IncidentReport> analyse_window_live(const Ports& ports, WindowRun run);

}  // namespace nra
