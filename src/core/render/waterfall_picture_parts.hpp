// Private steps of layout_waterfall (include/nra/waterfall_picture.hpp): grouping spans into rows
// (consecutive identical siblings collapse), choosing which rows fit under the cap, and tagging
// the rows that are slower than usual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"

namespace nra::picture_detail {

// One candidate row: a span, or a run of consecutive siblings with the same service and name.
struct RowGroup {
    std::int32_t first = -1;   // first span of the run
    std::size_t members = 0;   // the run's spans: Grouping::members[members .. members + count)
    std::int32_t parent = -1;  // parent row (index into the group list), -1 for the root row
    int count = 1;
    int depth = 0;
    double start_us = 0;  // earliest start of the run's members
    double end_us = 0;    // latest end (in double: start + duration may not fit an int64)
    bool error = false;
    bool critical = false;
};

struct Grouping {
    std::vector<RowGroup> rows;
    std::vector<std::int32_t> members;  // every span once, by row
};

// Rows in tree pre-order, children by start time. The children of a collapsed run are the
// members' children together, so they collapse too (three retried calls → one ×3 row whose
// server spans form one ×3 row below). Iterative: no recursion on depth. `critical` has one flag
// per span.
Grouping group_rows(const TraceTree& tree, const std::vector<char>& critical);

// Indices of the rows to draw, in tree order, at most max_rows: critical-path rows, error rows and
// their ancestors first, then the longest rows (each with its ancestors, so indentation stays
// true). Everything when it fits.
std::vector<std::size_t> select_rows(const std::vector<RowGroup>& rows, std::size_t max_rows);

// The "×26" tag of each kept row (parallel to `kept`): the largest ratio among its spans that are
// slower than usual, "" for the others. All empty unless the summary's baselines were applied.
std::vector<std::string> slower_tags(
    const TraceTree& tree,
    const Summary& summary,
    const Grouping& grouping,
    const std::vector<std::size_t>& kept
);

}  // namespace nra::picture_detail
