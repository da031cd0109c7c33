// Shared set-up of the NerdGraph baseline source tests: a fake NerdGraph seeded with Span events
// of both dialects and a source on a clock the test moves (for the cache's time to live).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nerdgraph_harness.hpp"
#include "newrelic/nerdgraph_baseline_source.hpp"

namespace baseline_test {

using namespace nra;
using namespace nra::test;

constexpr std::int64_t kNow = 1'750'000'000'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

struct BaselineHarness : NerdGraphHarness {
    explicit BaselineHarness(FakeServerOptions server_options = {})
        : NerdGraphHarness(std::move(server_options)) {}

    // Built on first use, so a test may change the config and options first; kept, so is its
    // cache.
    newrelic::NerdGraphBaselineSource& source() {
        if (!source_) {
            client_ = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            newrelic::NerdGraphBaselineSource::WallClock clock = [this] {
                return std::chrono::system_clock::time_point(std::chrono::milliseconds(now));
            };
            source_ = std::make_unique<newrelic::NerdGraphBaselineSource>(
                *client_, config, options, clock
            );
        }
        return *source_;
    }

    BaselineResult ask(std::vector<BaselineKey> keys, std::string trace = kTrace, int hours = 24) {
        BaselineQuery query;
        query.keys = std::move(keys);
        query.trace_id = std::move(trace);
        query.window_hours = hours;
        return run_blocking(ioc, source().baselines(std::move(query)));
    }

    // Span events of one pair an hour or two before kNow (inside the default 24 h window).
    void spans(
        std::int64_t account,
        const std::string& service,
        ServiceKind kind,
        const std::string& name,
        const std::vector<double>& durations_ms,
        const std::string& trace_id = {}
    ) {
        fake.add_requests(
            account,
            make_span_events(
                service, kind, name, durations_ms, kNow - 2 * kHour, kNow - kHour, trace_id
            )
        );
    }

    std::size_t queries() const { return fake.nrql_log().size(); }

    std::int64_t now = kNow;
    newrelic::BaselineSourceOptions options;
    std::unique_ptr<http::Client> client_;
    std::unique_ptr<newrelic::NerdGraphBaselineSource> source_;
};

// 10, 20, … `n` × 10 ms.
inline std::vector<double> steps(std::size_t n, double step = 10) {
    std::vector<double> out;
    for (std::size_t i = 1; i <= n; ++i) out.push_back(step * static_cast<double>(i));
    return out;
}

inline const BaselineStats* find(const BaselineResult& r, const BaselineKey& key) {
    for (const auto& s : r.stats) {
        if (s.key == key) return &s;
    }
    return nullptr;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace baseline_test
