// Milliseconds per hour and per day: New Relic windows, SLO periods and schedules count in ms.
#pragma once

#include <cstdint>

namespace nra {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;

}  // namespace nra
