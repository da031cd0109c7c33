// NRQL for comparing a trace with a typical request of its endpoint and for the deployments of
// its services (ContextSource), and the readers of their rows. Pure; names go through
// nrql_quote, every query is shorter than kMaxBaselineNrql.
//
// Typical candidates: the endpoint's root spans (`entity.name`, `name`, as baseline_queries.hpp
// counts them) without an error (`error.class` absent, `otel.status_code` not ERROR) in the
// baseline window, this trace left out. Deployments: New Relic's change tracking stores markers
// as `Deployment` (legacy markers and changeTrackingCreateDeployment) and `ChangeTrackingEvent`
// (changeTrackingCreateEvent) events, attached to an entity by `entity.guid` (reference
// incident.md); the query asks both types for the trace's GUIDs and, for markers that carry
// them, its service names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newrelic/trace_queries.hpp"
#include "nra/analysis/typical.hpp"
#include "nra/ports/context_source.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

inline constexpr std::size_t kTypicalSampleRows = 100;  // root spans read to find the median

// `SELECT trace.id, traceId, duration.ms, duration FROM Span WHERE entity.name = '…' AND name =
// '…' AND error.class IS NULL AND (otel.status_code IS NULL OR otel.status_code != 'ERROR')
// [AND <this trace left out>] SINCE <from> UNTIL <to> LIMIT 100`. Error when a name cannot be
// quoted.
Result<std::string> typical_candidates_nrql(const TypicalQuery& query);

// The rows of typical_candidates_nrql() as candidates nearest the median duration first (each
// trace once, `max` at most); rows without a trace id or a duration are skipped.
Result<std::vector<TypicalCandidate>> read_typical_candidates(
    std::string_view rows_json, std::string_view exclude_trace_id, std::size_t max
);

// `candidates` nearest their median duration first (ties: as given), at most `max`.
std::vector<TypicalCandidate> nearest_median(
    std::vector<TypicalCandidate> candidates, std::size_t max
);

// `SELECT timestamp, entity.guid, entity.name, appName, version, deploymentId, description,
// changelog, user, category, type FROM Deployment, ChangeTrackingEvent WHERE (entity.guid IN
// (…) OR entity.name IN (…) OR appName IN (…)) SINCE <from> UNTIL <to> LIMIT <limit>`; GUIDs
// and names are taken in order while the query stays short enough. Error when nothing can be
// asked.
Result<std::string> deployments_nrql(const ChangeQuery& query, std::size_t limit);

// The rows of deployments_nrql(): the service from `entity.name`, else `appName`, else the
// GUID's service in `guids`; rows without a timestamp or a service are skipped. Texts clipped.
Result<std::vector<DeploymentEvent>> read_deployments(
    std::string_view rows_json, const std::vector<std::pair<std::string, std::string>>& guids
);

}  // namespace nra::newrelic
