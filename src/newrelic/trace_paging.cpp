#include "newrelic/trace_paging.hpp"

#include <algorithm>
#include <string_view>

namespace nra::newrelic {

std::vector<TimeWindow> plan_windows(const SpanStats& stats, std::size_t row_limit) {
    std::vector<TimeWindow> windows;
    if (stats.count == 0 || stats.last_ms < stats.first_ms) return windows;
    const std::size_t per_page = std::max<std::size_t>(1, row_limit * 4 / 5);
    const std::int64_t span = stats.last_ms - stats.first_ms + 1;  // milliseconds covered
    const auto wanted = static_cast<std::int64_t>((stats.count + per_page - 1) / per_page);
    const std::int64_t pages = std::clamp<std::int64_t>(wanted, 1, span);
    for (std::int64_t i = 0; i < pages; ++i) {
        // Integer boundaries spread the remainder so no window is empty of milliseconds.
        windows.push_back(
            {stats.first_ms + span * i / pages, stats.first_ms + span * (i + 1) / pages}
        );
    }
    return windows;
}

std::optional<std::pair<TimeWindow, TimeWindow>> split_window(const TimeWindow& window) {
    if (window.to_ms - window.from_ms < 2) return std::nullopt;
    const std::int64_t mid = window.from_ms + (window.to_ms - window.from_ms) / 2;
    return std::make_pair(TimeWindow{window.from_ms, mid}, TimeWindow{mid, window.to_ms});
}

std::string join_json_arrays(const std::vector<std::string>& arrays) {
    std::size_t total = 2;
    for (const auto& a : arrays) total += a.size() + 1;
    std::string out;
    out.reserve(total);
    out.push_back('[');
    bool first = true;
    for (const auto& a : arrays) {
        std::string_view inner(a);
        const auto open = inner.find('[');
        const auto close = inner.rfind(']');
        if (open == std::string_view::npos || close == std::string_view::npos || close <= open) {
            continue;
        }
        inner = inner.substr(open + 1, close - open - 1);
        if (inner.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
        if (!first) out.push_back(',');
        out.append(inner);
        first = false;
    }
    out.push_back(']');
    return out;
}

}  // namespace nra::newrelic
