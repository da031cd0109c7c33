// An incident over a window of traces: each trace analysed on its own (suspects, baselines, a
// typical request), then the suspects aggregated per service. Pure and deterministic.
//
// Aggregation (docs/incidents.md): a trace's suspect adds score / the trace's duration to its
// service: the share of that request it explains (errors weigh half a request, time lost or
// beyond usual its share), so a service that explains most of many requests leads, and noise
// (a few percent here and there) stays small however many healthy traces the window holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nra/analysis/incident_context.hpp"
#include "nra/analysis/incident_window.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/analysis/typical.hpp"

namespace nra {

struct IncidentEvidence {
    std::string trace_id;
    std::vector<std::string> span_ids;
    std::string text;  // plain, names in backticks, as the trace's suspect says it
};

struct IncidentSuspect {
    std::string service;
    std::string operation;  // the operation behind most of the evidence
    SuspectKind kind = SuspectKind::latency;
    Confidence confidence = Confidence::low;
    double score = 0;                        // the sum of the shares of the requests it explains
    double excess_ms = 0;                    // time it explains, summed over the traces
    int traces_with = 0;                     // traces where it is a suspect
    std::vector<IncidentEvidence> evidence;  // strongest first, one per trace, at most 5
    // Live: how many requests of the last hour share its failure or slowness (its strongest
    // evidence trace's blast radius, with the matching SLO's burn). Nullopt: not asked.
    std::optional<BlastRadius> blast;
};

struct IncidentEndpoint {
    std::string service;
    std::string name;
    int traces = 0;
    int failed = 0;
    int slower = 0;     // slower than usual (baselines applied)
    double p50_ms = 0;  // of the traces analysed
    double max_ms = 0;
    // Live: the endpoint in the window against its usual period. Nullopt offline.
    std::optional<EndpointDeviation> window;
};

struct IncidentReport {
    std::string service;  // as asked, else the most common entry service
    std::int64_t since_ms = 0, until_ms = 0;
    int traces_analysed = 0;
    std::vector<IncidentEndpoint> endpoints;  // by failed, then slower, then traces
    std::vector<IncidentSuspect> suspects;    // ranked: the first is the answer
    std::vector<TraceChange> changes;         // deployments and versions, newest first
    std::vector<std::string> notes;           // "Inconclusive: …", what was skipped
    std::vector<SloBurn> slo_burns;           // live: the service's SLOs over the last hour
    bool live = false;                        // a window of New Relic (else of trace files)
};

struct IncidentOptions {
    std::size_t max_suspects = 5;
    std::size_t max_evidence = 5;
};

// The report over `traces` (summaries with their suspects; baselines and typical requests applied
// when available). `service` empty: the most common entry service. The window is the traces'.
IncidentReport aggregate_incident(
    std::string service, const std::vector<const Summary*>& traces, const IncidentOptions& = {}
);

// For each tree, the index of a typical request of its endpoint within the same window (the
// error-free one nearest the median duration of its endpoint, itself excluded), or -1.
std::vector<int> typical_in_window(const std::vector<const TraceTree*>& trees);

// A request worth comparing with a typical one: it failed, or it was slower than usual (with
// baselines; without them, half again as slow as `typical`). Healthy requests vary in shape for
// their own reasons (a cache hit, a bigger cart); their differences are not the incident.
bool abnormal(const Summary& summary, const TraceTree* typical);

// The window's analysis once every trace is summarised: each abnormal trace is compared with its
// typical request (`typical[i]`: an index into `trees`, or -1) and the deployments are judged
// for it (apply_comparison), then the suspects are aggregated (aggregate_incident).
IncidentReport analyse_window(
    std::string service,
    std::vector<Summary>& summaries,
    const std::vector<const TraceTree*>& trees,
    const std::vector<int>& typical,
    const std::vector<DeploymentEvent>& deployments = {},
    const IncidentOptions& options = {}
);

}  // namespace nra
