#include "newrelic/trace_paging.hpp"

#include <algorithm>
#include <string_view>

namespace nra::newrelic {

std::vector<TimeWindow> plan_windows(const SpanStats& stats, std::size_t row_limit) {
    constexpr std::int64_t kMaxPages = 2'000;  // 8M rows: far beyond what the core accepts
    std::vector<TimeWindow> windows;
    if (stats.count == 0 || stats.last_ms < stats.first_ms) return windows;
    const std::size_t per_page = std::max<std::size_t>(1, row_limit * 4 / 5);
    const std::int64_t span = stats.last_ms - stats.first_ms + 1;  // milliseconds covered
    const auto wanted = static_cast<std::int64_t>((stats.count + per_page - 1) / per_page);
    const std::int64_t pages = std::clamp<std::int64_t>(wanted, 1, std::min(span, kMaxPages));
    // Boundary k is first + k * span / pages, computed without overflowing for absurd
    // (hostile) ranges: k * (span / pages) + k * (span % pages) / pages.
    const auto boundary = [&](std::int64_t k) {
        return stats.first_ms + k * (span / pages) + k * (span % pages) / pages;
    };
    for (std::int64_t i = 0; i < pages; ++i) windows.push_back({boundary(i), boundary(i + 1)});
    return windows;
}

std::optional<std::pair<TimeWindow, TimeWindow>> split_window(const TimeWindow& window) {
    if (window.to_ms - window.from_ms < 2) return std::nullopt;
    const std::int64_t mid = window.from_ms + (window.to_ms - window.from_ms) / 2;
    return std::make_pair(TimeWindow{window.from_ms, mid}, TimeWindow{mid, window.to_ms});
}

}  // namespace nra::newrelic
