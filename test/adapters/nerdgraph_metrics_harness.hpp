// Shared set-up of the NerdGraph metrics source tests: a fake NerdGraph seeded with service
// statistics and a source on a fixed clock.
#pragma once

#include <chrono>
#include <memory>

#include "nerdgraph_harness.hpp"
#include "newrelic/nerdgraph_metrics_source.hpp"

namespace metrics_test {

using namespace nra;
using namespace nra::test;
using newrelic::NerdGraphMetricsSource;

constexpr std::int64_t kNow = 1'750'000'000'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

struct MetricsHarness : NerdGraphHarness {
    explicit MetricsHarness(FakeServerOptions options = {})
        : NerdGraphHarness(std::move(options)) {}

    // Built on first use, so a test may change the config first; kept, so is its kind cache.
    NerdGraphMetricsSource& source() {
        if (!source_) {
            client_ = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            NerdGraphMetricsSource::WallClock clock = [] {
                return std::chrono::system_clock::time_point(std::chrono::milliseconds(kNow));
            };
            source_ = std::make_unique<NerdGraphMetricsSource>(*client_, config, clock);
        }
        return *source_;
    }
    StatsResult stats(StatsQuery q) { return run_blocking(ioc, source().service_stats(q)); }
    StatsResult stats(const std::string& service) {
        StatsQuery q;
        q.service = service;
        return stats(q);
    }
    SloResult slo(SloSpec spec) { return run_blocking(ioc, source().slo_counts(spec)); }
    SloHistoryResult history(SloSpec spec, int windows) {
        return run_blocking(ioc, source().slo_history(spec, windows));
    }
    TraceIdsResult slowest(const std::string& service, const std::string& endpoint, int n) {
        return run_blocking(ioc, source().slowest_traces(service, endpoint, n, 7));
    }
    ServiceListResult services() { return run_blocking(ioc, source().services(7)); }
    std::size_t queries_starting(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& q : fake.nrql_log()) n += q.rfind(prefix, 0) == 0 ? 1 : 0;
        return n;
    }

    std::unique_ptr<http::Client> client_;
    std::unique_ptr<NerdGraphMetricsSource> source_;
};

inline FakeEndpointSpec spec(
    std::string name,
    std::size_t requests,
    std::vector<double> durations,
    std::size_t errors,
    std::int64_t from,
    std::int64_t to
) {
    return FakeEndpointSpec{std::move(name), requests, std::move(durations), errors, from, to};
}

inline FakeEndpointSpec recent(std::string name, std::size_t requests, double duration = 10) {
    return spec(std::move(name), requests, {duration}, 0, kNow - 2 * kDay, kNow - kDay);
}

inline FakeRequestEvent request(
    std::string service, ServiceKind kind, std::string endpoint, double ms, std::string trace = {}
) {
    FakeRequestEvent e;
    e.service = std::move(service);
    e.kind = kind;
    e.endpoint = std::move(endpoint);
    e.timestamp_ms = kNow - kDay;
    e.duration_ms = ms;
    e.trace_id = std::move(trace);
    return e;
}

inline const EndpointStats& find(const std::vector<EndpointStats>& list, const std::string& name) {
    for (const auto& e : list) {
        if (e.name == name) return e;
    }
    FAIL("no endpoint " << name);
    throw;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace metrics_test
