// This request against a typical one of the same endpoint (same root operation, near-median
// duration, no error, from the baseline window), and what changed: deployments of its services
// and versions that differ from the typical request's. Pure and deterministic.
//
// The comparison groups spans by operation (service + span name; a query's statement shape
// too) and reads three things per operation: how many times it ran, whether it ran at all, and
// its time on the critical path. Critical-path times add up to the root's duration in each
// trace, so the per-operation differences add up to the difference of the two durations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nra/assemble/assemble.hpp"

namespace nra {

struct TypicalDiff {
    enum class Kind { extra, missing, more, fewer, slower, faster };
    Kind kind = Kind::slower;
    std::string service;    // the service the operation runs in
    std::string operation;  // its span name
    std::string caller;     // the service that made (or no longer made) the call; may equal service
    int count = 0;          // spans of the operation in this request
    int typical_count = 0;  // … in the typical one
    double delta_ms = 0;    // critical-path time here − in the typical request
    std::string span_id;    // one such span here (missing: in the typical trace)
    bool top = true;  // extra/missing: its parent operation ran in both (the cut, not its subtree)
    bool after_failure = false;  // missing: its parent operation failed here (a consequence)
};
std::string_view to_string(TypicalDiff::Kind kind);  // "extra", "missing", "more", …

struct TypicalComparison {
    std::string trace_id;      // the typical trace
    std::string endpoint;      // its root operation, e.g. "POST /api/orders"
    double duration_ms = 0;    // the typical request's root duration
    double difference_ms = 0;  // this request's root duration − the typical one's
    // Structural differences first (extra, missing, more, fewer), then time differences by size;
    // operations whose time differs by less than kMinDeltaMs and whose structure is the same
    // are left out and summed into other_ms, so diff deltas + other_ms == difference_ms.
    std::vector<TypicalDiff> diff;
    double other_ms = 0;
    bool similar_shape = true;  // false: the two share under half their operations
};

inline constexpr double kTypicalMinDeltaMs = 5;
inline constexpr std::size_t kTypicalMaxDiff = 30;

// Compares `here` with `typical` (trees as assembled; both need a root).
TypicalComparison compare_with_typical(
    const TraceTree& here, const TraceTree& typical, std::string typical_trace_id
);

// Whether any span of the trace failed (a failed request is nobody's typical one).
bool any_span_failed(const TraceTree& tree);

// Why a candidate cannot serve as the typical request: "it failed", "another endpoint", …;
// empty when it can.
std::string unfit_as_typical(const TraceTree& here, const TraceTree& candidate);

// A change around the request: a deployment (New Relic deployment markers / change tracking)
// or a version on this request's spans that differs from the typical request's.
struct TraceChange {
    std::string service;
    std::string kind;                   // "deployment" or "version"
    std::optional<std::int64_t> at_ms;  // epoch ms (deployments)
    std::string version;                // may be empty (a deployment without a version)
    std::string previous_version;       // version: the typical request's
    std::string description;            // plain; from outside: escape before display
};

// A deployment event as the ContextSource reads it.
struct DeploymentEvent {
    std::string service;  // entity.name / appName, else the service whose GUID it carries
    std::int64_t at_ms = 0;
    std::string version, description, user, kind;  // kind: "Deployment", category/type…
};

// The version each service reports on this trace's spans (service.version, tags.version,
// app.version, version…), by service; services without one are absent.
std::vector<std::pair<std::string, std::string>> service_versions(const TraceTree& tree);

// The changes worth naming: the latest deployments per service (at most 3 each, newest first,
// only services of this request), then version differences against the typical request.
std::vector<TraceChange> judge_changes(
    const std::vector<DeploymentEvent>& deployments, const TraceTree& here, const TraceTree* typical
);

struct Summary;

// Sets summary.typical (when `typical` is given: compared with `here`), summary.changes (the
// deployments judged, and version differences), and weighs the suspects again with them.
void apply_comparison(
    Summary& summary,
    const TraceTree& here,
    const TraceTree* typical,
    const std::vector<DeploymentEvent>& deployments
);

}  // namespace nra
