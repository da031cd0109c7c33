// The `baselines:` section of nr-analyzer.yaml: how trace summaries compare spans with their
// usual durations. nr-analyzer.example.yaml documents every key.
#include <fmt/format.h>

#include "config/config_sections.hpp"

namespace nra::config::detail {

void read_baselines(Source& src, const Field& at, ImproveConfig& c) {
    const Mapping m(
        src,
        at,
        {"enabled",
         "window",
         "min_samples",
         "slower_factor",
         "faster_factor",
         "min_delta_ms",
         "max_operations"}
    );
    auto& b = c.baselines;
    if (auto f = m.get("enabled")) c.baselines_enabled = boolean(src, *f);
    if (auto f = m.get("window")) {
        const auto h = hours(src, *f);
        // Span data is kept 8 days by default; a week leaves room for the query's own window.
        if (h < 1 || h > 168) fail(src, *f, fmt::format("must be from 1h to 7d, got {}h", h));
        b.window_hours = static_cast<int>(h);
    }
    if (auto f = m.get("min_samples")) b.min_samples = integer(src, *f, 1, 1'000'000);
    if (auto f = m.get("slower_factor")) {
        b.slower_factor = number(src, *f);
        if (b.slower_factor < 1) fail(src, *f, "must be 1 or more (× the usual p50)");
    }
    if (auto f = m.get("faster_factor")) {
        b.faster_factor = number(src, *f);
        if (b.faster_factor <= 0 || b.faster_factor >= 1) {
            fail(src, *f, "must be above 0 and below 1 (× the usual p50)");
        }
    }
    if (auto f = m.get("min_delta_ms")) {
        b.min_delta_ms = number(src, *f);
        if (b.min_delta_ms < 0) fail(src, *f, "must be 0 ms or more");
    }
    if (auto f = m.get("max_operations"))
        b.max_keys = static_cast<std::size_t>(integer(src, *f, 1, 200));
}

}  // namespace nra::config::detail
