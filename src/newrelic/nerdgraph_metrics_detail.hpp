// Private helpers shared by the NerdGraph metrics source's translation units (the source and its
// SLO history); not part of any interface.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "nra/ports/metrics_source.hpp"
#include "nra/time_units.hpp"

namespace nra::newrelic::detail {

// `message` is moved; clang-tidy misreads the template.
template <class R>
// NOLINTNEXTLINE(performance-unnecessary-value-param)
R failure(FetchStatus status, std::string message) {
    R r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

inline std::string last_text(int days) {
    return days == 1 ? std::string("day") : fmt::format("{} days", days);
}

inline int clamp_days(int days) {
    return std::clamp(days, 1, 366);
}

}  // namespace nra::newrelic::detail
