// Planning pages for traces above New Relic's 5,000-row limit: split the trace's millisecond
// range into time windows expected to hold ~80 % of the limit each; a window that still comes back
// full is halved and asked again. Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "newrelic/nerdgraph_response.hpp"
#include "newrelic/trace_queries.hpp"

namespace nra::newrelic {

// Windows covering [first_ms, last_ms] with no gap and no overlap, in time order.
std::vector<TimeWindow> plan_windows(const SpanStats& stats, std::size_t row_limit);

// The two halves of a window, or nullopt when it is a single millisecond (cannot be split).
std::optional<std::pair<TimeWindow, TimeWindow>> split_window(const TimeWindow& window);

}  // namespace nra::newrelic
