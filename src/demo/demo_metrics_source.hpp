// The embedded demo dataset's endpoint statistics as a MetricsSource, so /improve works with no
// account. Latencies follow a log-normal model per endpoint (median and p95 given), which keeps
// every derived figure (p99, Apdex counts, requests over an SLO threshold) consistent.
#pragma once

#include <chrono>
#include <functional>

#include "nra/ports/metrics_source.hpp"
#include "nra/report/improve_config.hpp"

namespace nra {

class DemoMetricsSource final : public MetricsSource {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;
    explicit DemoMetricsSource(WallClock clock = {});

    boost::asio::awaitable<StatsResult> service_stats(StatsQuery query) override;
    boost::asio::awaitable<SloResult> slo_counts(SloSpec slo) override;
    boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec slo, int windows) override;
    boost::asio::awaitable<TraceIdsResult> slowest_traces(
        std::string service, std::string endpoint, int count, int window_days
    ) override;
    boost::asio::awaitable<ServiceListResult> services(int window_days) override;
    // demo_incident.cpp
    boost::asio::awaitable<SampleResult> window_samples(SampleQuery query) override;

private:
    WallClock clock_;
};

// SLOs for the demo services, used when no configuration file is given in demo mode.
ImproveConfig demo_improve_config();

}  // namespace nra
