// Trace-grounded reasons for a breaching endpoint: the findings of its slowest sampled traces,
// aggregated across the samples, with links to the source code when spans carry code.* attributes.
#pragma once

#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"

namespace nra {

// Findings grouped by kind + service + statement (else code location): `traces_with` counts the
// samples that have it, `total_ms` sums its time over all samples, `saving_ms` is the average
// saving per sample that has it, `what` is the statement (else the first summary) and `advice` the
// detector's suggestion. `code_url` fills config.repositories[service] (else ["*"]) with
// {filepath}, {lineno} and {function}, percent-encoded; without a line number a trailing "#L" is
// dropped; no link when the finding has no file path. Ordered by total_ms desc, at most 5.
// When no sample has a finding: one "critical_path" suggestion naming the operation that takes
// the most critical-path time ("most time in X: N ms of M").
std::vector<Suggestion> suggest_from_traces(
    const std::vector<Summary>& samples, const ImproveConfig& config
);

// The code link for one finding (see above); "" when no template applies or no file path is known.
std::string code_url(
    const ImproveConfig& config,
    const std::string& service,
    const std::string& filepath,
    int lineno,
    const std::string& function
);

}  // namespace nra
