// NerdGraphMetricsSource::slo_history: an SLO's counts over consecutive past windows, one NRQL
// query per window with absolute SINCE/UNTIL. One query per window rather than one TIMESERIES
// query: TIMESERIES buckets align to New Relic's own boundaries, not to "now", and cannot be
// combined with the FACET name that endpoint globs need.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "newrelic/nerdgraph_metrics_detail.hpp"
#include "newrelic/nerdgraph_metrics_source.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;
using detail::clamp_days;
using detail::failure;
using detail::last_text;

namespace {

constexpr int kMaxWindows = 24;

// "SLO checkout-latency: New Relic …", so a digest says which SLO could not be computed.
std::string named(const SloSpec& slo, const std::string& message) {
    const auto prefix = fmt::format("SLO {}: ", slo.name);
    return message.rfind(prefix, 0) == 0 ? message : prefix + message;
}

std::string no_data(const SloSpec& slo, int windows) {
    return fmt::format(
        "no data for SLO {} ({}) in the last {}",
        slo.name,
        slo.service,
        last_text(windows * slo.window_days)
    );
}

// Window i of n, oldest first: [now − (n−i)·W, now − (n−i−1)·W).
std::vector<TimeWindow> past_windows(std::int64_t now, std::int64_t width, int n) {
    std::vector<TimeWindow> out;
    out.reserve(static_cast<std::size_t>(std::max(n, 0)));
    for (int i = 0; i < n; ++i) {
        out.push_back(TimeWindow{now - (n - i) * width, now - (n - i - 1) * width});
    }
    return out;
}

}  // namespace

asio::awaitable<SloHistoryResult> NerdGraphMetricsSource::slo_history(SloSpec slo, int windows) {
    slo.window_days = clamp_days(slo.window_days);
    const int n = std::clamp(windows, 1, kMaxWindows);
    const auto spans = past_windows(now_ms(), slo.window_days * kDayMs, n);
    // A configuration error (latency SLO without a threshold, a name NRQL cannot quote) is
    // reported as such, whether or not the service has data.
    if (auto check = slo_counts_nrql(ServiceKind::apm, slo, spans.front(), 0); !check) {
        co_return failure<SloHistoryResult>(FetchStatus::failed, named(slo, check.error()));
    }
    const TimeWindow whole{spans.front().from_ms, spans.back().to_ms};
    auto kind = co_await detect_kind(slo.service, whole, false);
    if (kind.status == FetchStatus::not_found && kind.message.empty()) {
        co_return failure<SloHistoryResult>(FetchStatus::not_found, no_data(slo, n));
    }
    if (kind.status != FetchStatus::found) {
        co_return failure<SloHistoryResult>(kind.status, named(slo, kind.message));
    }
    SloHistoryResult result;
    for (const auto& span : spans) {
        // Recent counts are not wanted: recent_since at the window's end makes them 0.
        auto counts = co_await slo_window(kind.kind, slo, span, span.to_ms);
        if (counts.status != FetchStatus::found) {
            co_return failure<SloHistoryResult>(counts.status, named(slo, counts.message));
        }
        slo::WindowCounts w;
        w.since_ms = span.from_ms;
        w.until_ms = span.to_ms;
        w.total = counts.counts.total;
        w.bad = counts.counts.bad;
        result.windows.push_back(w);
    }
    result.status = FetchStatus::found;
    co_return result;
}

}  // namespace nra::newrelic
