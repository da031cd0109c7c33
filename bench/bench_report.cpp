// Report benchmark: a synthetic service with 2,000 endpoints (and the previous window), 2 SLOs and
// 8 threshold overrides, timed through build_report → render_report_json → Block Kit (channel
// message + thread details). Target: 50 ms per report.
// Usage: nra_bench_report [--reps N] [--check]   (--check: exit 1 when the p90 misses the target)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "nra/report/render_report.hpp"
#include "nra/report/report_build.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTargetMs = 50.0;
constexpr int kEndpoints = 2000;

nra::EndpointStats endpoint(std::mt19937_64& rng, int i, double scale) {
    std::lognormal_distribution<double> latency(5.0, 1.0);  // median ~150 ms, long tail
    std::lognormal_distribution<double> traffic(8.0, 2.0);
    nra::EndpointStats s;
    s.name =
        fmt::format("WebTransaction/SpringController/api/v{}/resource{}/items (GET)", i % 3, i);
    s.count = static_cast<std::int64_t>(traffic(rng) * scale) + 1;
    s.throughput_rpm = static_cast<double>(s.count) / (7 * 24 * 60.0);
    const double p50 = latency(rng) * scale;
    s.avg_ms = p50 * 1.3;
    s.p50_ms = p50;
    s.p95_ms = p50 * 4;
    s.p99_ms = p50 * 9;
    s.max_ms = p50 * 30;
    s.errors =
        static_cast<std::int64_t>(static_cast<double>(s.count) * (i % 7 == 0 ? 0.03 : 0.001));
    s.satisfied = s.count * 8 / 10;
    s.tolerating = s.count / 10;
    s.slow = s.count / 50;
    return s;
}

nra::ServiceStats make_stats() {
    std::mt19937_64 rng(42);
    nra::ServiceStats stats;
    stats.service = "checkout";
    stats.window = {1'714'550'400'000, 1'715'155'200'000};
    for (int i = 0; i < kEndpoints; ++i) {
        stats.endpoints.push_back(endpoint(rng, i, 1.0));
        stats.previous.push_back(endpoint(rng, i, 0.9));
    }
    return stats;
}

nra::ImproveConfig make_config() {
    nra::ImproveConfig config;
    for (int i = 0; i < 8; ++i) {
        nra::ThresholdOverride o;
        o.endpoint = fmt::format("*/v{}/resource{}*", i % 3, i);
        o.p95_ms = 2000;
        config.overrides.push_back(o);
    }
    return config;
}

std::vector<nra::SloInput> make_slos() {
    nra::SloInput availability;
    availability.spec.name = "checkout-availability";
    availability.spec.target = 0.999;
    availability.counts = nra::SloCounts{40'000'000, 52'000, 250'000, 400};
    nra::SloInput latency;
    latency.spec.name = "checkout-latency";
    latency.spec.kind = nra::SloKind::latency;
    latency.spec.target = 0.99;
    latency.spec.latency_ms = 1000;
    latency.counts = nra::SloCounts{40'000'000, 300'000, 250'000, 2'600};
    return {availability, latency};
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(at, v.size() - 1)];
}

struct Run {
    std::vector<double> times_ms;
    std::size_t bytes = 0;
    std::size_t breaching = 0;
};

// build_report + JSON + Block Kit, `reps` times after two warm-up runs.
Run run(int reps) {
    const nra::ServiceStats stats = make_stats();
    const nra::ImproveConfig config = make_config();
    const std::vector<nra::SloInput> slos = make_slos();
    Run out;
    for (int r = 0; r < reps + 2; ++r) {
        const auto start = Clock::now();
        const nra::Report report = nra::build_report(stats, config, slos);
        const std::string json = nra::render_report_json(report);
        // Serialised as the Slack adapter does for the request.
        const std::string summary = nra::render_report_blocks_summary(report).dump();
        std::vector<std::string> details;
        for (const auto& d : nra::render_report_blocks_details(report)) {
            details.push_back(d.dump());
        }
        const auto end = Clock::now();
        if (r >= 2) {
            out.times_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        }
        out.bytes = json.size() + summary.size();
        for (const std::string& d : details) {
            out.bytes += d.size();
        }
        out.breaching = report.breaching;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int reps = 50;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--reps" && i + 1 < argc) {
            reps = std::max(1, std::atoi(argv[++i]));
        } else if (arg == "--check") {
            check = true;
        }
    }
    const Run r = run(reps);
    const double median = percentile(r.times_ms, 0.5);
    const double p90 = percentile(r.times_ms, 0.9);
    fmt::print(
        "report: {} endpoints (+{} previous), 2 SLOs, {} breaching, {} shown; {} runs\n",
        kEndpoints,
        kEndpoints,
        r.breaching,
        nra::ImproveConfig{}.top_endpoints,
        reps
    );
    fmt::print(
        "  build_report + JSON + Block Kit: median {:.2f} ms, p90 {:.2f} ms per report\n",
        median,
        p90
    );
    fmt::print(
        "  output {:.1f} KB; target {:.0f} ms: p90 is {:.3f}× the target ({})\n",
        static_cast<double>(r.bytes) / 1024.0,
        kTargetMs,
        p90 / kTargetMs,
        p90 <= kTargetMs ? "met" : "MISSED"
    );
    return check && p90 > kTargetMs ? 1 : 0;
}
