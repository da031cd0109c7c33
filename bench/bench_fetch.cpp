// Fetch benchmark: a 12,000-span trace served by the fake NerdGraph (test/support) over loopback,
// fetched with paging (first page, count query, time windows) by the real HTTPS client and
// NerdGraph adapter, then analyzed and rendered. Prints medians of wall time and of our own CPU
// time (the fetching thread only: the fake server's JSON encoding runs on its own thread).
// Usage: nra_bench_fetch [--quick] [--tls] [--spans N]
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "log/log.hpp"
#include "newrelic/nerdgraph_trace_source.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/render/render.hpp"
#include "support/fake_nerdgraph.hpp"
#include "support/run_async.hpp"
#include "support/test_pki.hpp"

namespace {

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Sample {
    double wall_ms = 0;
    double cpu_ms = 0;
    double fetch_wall_ms = 0;
    std::size_t spans = 0;
    std::size_t queries = 0;
};

Sample run_once(
    nra::test::FakeNerdGraph& fake,
    const nra::newrelic::NewRelicConfig& config,
    const nra::http::ClientOptions& options,
    const std::string& trace_id
) {
    const auto queries_before = fake.nrql_log().size();
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_ms();
    boost::asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), options);
    nra::newrelic::NerdGraphTraceSource source(client, config);
    auto result = nra::test::run_blocking(ioc, source.fetch({trace_id, {}}, {}));
    const auto t1 = std::chrono::steady_clock::now();
    if (result.status != nra::FetchStatus::found) {
        fmt::print(stderr, "fetch failed: {}\n", result.message);
        std::exit(1);
    }
    const auto summary = nra::summarize(*result.tree);
    const auto json = nra::render_json(summary);
    const auto t2 = std::chrono::steady_clock::now();
    Sample s;
    s.cpu_ms = thread_cpu_ms() - c0;
    s.wall_ms = std::chrono::duration<double, std::milli>(t2 - t0).count();
    s.fetch_wall_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    s.spans = result.tree->size() + (json.empty() ? 1 : 0);
    s.queries = fake.nrql_log().size() - queries_before;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false;
    bool tls = false;
    std::size_t spans = 12'000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        if (std::strcmp(argv[i], "--tls") == 0) tls = true;
        if (std::strcmp(argv[i], "--spans") == 0 && i + 1 < argc) spans = std::stoul(argv[++i]);
    }
    nra::log::set_level(nra::log::Level::error);
    nra::test::FakeServerOptions server;
    server.tls = tls;
    nra::test::FakeNerdGraph fake(server);
    const std::string trace_id = "0123456789abcdef0123456789abcdef";
    fake.add_rows(
        1,
        nra::test::make_trace_rows(
            trace_id, spans, nra::test::RowDialect::agent, nra::test::now_ms() - 600'000
        )
    );
    nra::http::ClientOptions options;
    options.ca_pem = nra::test::test_pki().ca_pem;
    const int reps = quick ? 3 : 15;
    fmt::print(
        "fetch benchmark: {} spans from the fake NerdGraph over {} (loopback), {} runs\n",
        spans,
        tls ? "HTTPS" : "HTTP",
        reps
    );
    fmt::print(
        "{:>12} {:>8} {:>10} {:>10} {:>12} {:>10}\n",
        "concurrency",
        "queries",
        "wall ms",
        "fetch ms",
        "own CPU ms",
        "CPU/wall"
    );
    for (std::size_t concurrency : {std::size_t{1}, std::size_t{5}}) {
        nra::newrelic::NewRelicConfig config;
        config.api_key = nra::test::FakeNerdGraph::kApiKey;
        config.accounts = {1};
        config.graphql_url = fake.url();
        config.max_concurrency = concurrency;
        config.requeries = 0;
        std::vector<double> wall, fetch, cpu;
        Sample last;
        for (int r = 0; r < reps; ++r) {
            last = run_once(fake, config, options, trace_id);
            wall.push_back(last.wall_ms);
            fetch.push_back(last.fetch_wall_ms);
            cpu.push_back(last.cpu_ms);
        }
        fmt::print(
            "{:>12} {:>8} {:>10.1f} {:>10.1f} {:>12.1f} {:>9.0f}%\n",
            concurrency,
            last.queries,
            median(wall),
            median(fetch),
            median(cpu),
            100.0 * median(cpu) / median(wall)
        );
        if (last.spans != spans) {
            fmt::print(stderr, "expected {} spans, got {}\n", spans, last.spans);
            return 1;
        }
    }
    return 0;
}
