// Parts of summarize() that aggregate per service, per operation and per error.
#pragma once

#include <cstdint>
#include <vector>

#include "nra/analysis/analysis.hpp"
#include "nra/analysis/summary.hpp"

namespace nra::summary_parts {

void fill_services(const TraceTree& tree, const std::vector<std::int64_t>& self, Summary& s);
void fill_operations(
    const TraceTree& tree, const std::vector<std::int64_t>& self, std::size_t limit, Summary& s
);
// Errors with their origin first (see ErrorRole in analysis.hpp), handled failures last.
void fill_errors(const TraceTree& tree, std::size_t limit, Summary& s);

// The spans of each path row, in row order: one span per on-path span, identical consecutive
// siblings folded into one group (shared by fill_path_rows and apply_baselines).
std::vector<std::vector<std::int32_t>> path_row_spans(
    const TraceTree& tree, const std::vector<CriticalSection>& sections
);

// One row per span on the critical path, identical consecutive siblings folded (PathRow).
void fill_path_rows(
    const TraceTree& tree, const std::vector<CriticalSection>& sections, Summary& s
);

}  // namespace nra::summary_parts
