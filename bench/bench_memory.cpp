// Memory benchmark: big traces asked for at once through a real `nr-analyzer serve` child process,
// whose New Relic (fake NerdGraph) and Slack (fake Web API) live in this process. Prints the
// server's resident memory before, at its peak (VmHWM) and once the answers are posted, for each
// span budget given, so the figures and their ratios come from the same run on the same machine.
// Usage: nra_bench_memory [--spans N] [--traces K] [--budget B]...   (defaults: 300000, 2,
//        budgets 300000 and 2000000, the second one large enough that nothing waits)
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/slack_e2e.hpp"

namespace {

using Clock = std::chrono::steady_clock;

long status_kb(pid_t pid, const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == field) {
            status >> value;
            return value;
        }
    }
    return 0;
}

double mb(long kb) {
    return static_cast<double>(kb) / 1024.0;
}

std::string trace_id(std::size_t i) {
    return fmt::format("{:032x}", 0xbe9c0000U + i);
}

struct Figures {
    std::size_t budget = 0;
    long before_kb = 0;
    long peak_kb = 0;
    long after_kb = 0;
    double seconds = 0;
    std::size_t answered = 0;
    std::string in_flight_after;
};

// One sample's value from the server's /metrics, as written there.
std::string metric(nra::test::SlackE2E& e2e, const std::string& name) {
    const std::string body = e2e.metrics();
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return "?";
    const auto from = at + name.size() + 2;
    return body.substr(from, body.find('\n', from) - from);
}

Figures run(nra::test::FakeNerdGraph& nerdgraph, std::size_t traces, std::size_t budget) {
    nra::test::SlackE2E e2e(
        {{"NEW_RELIC_API_KEY", nra::test::FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NR_ANALYZER_SPAN_BUDGET", std::to_string(budget)},
         {"NR_ANALYZER_JOBS", std::to_string(traces)},
         {"NR_ANALYZER_LOG_LEVEL", "error"}}
    );
    Figures f;
    f.budget = budget;
    const auto pid = e2e.server->pid();
    f.before_kb = status_kb(pid, "VmRSS:");
    const auto start = Clock::now();
    for (std::size_t i = 0; i < traces; ++i) {
        const auto ack = e2e.command(trace_id(i), fmt::format("C{:04d}", i));
        if (ack.status != 200) fmt::print(stderr, "ack {}: {}\n", i, ack.status);
    }
    // Two posts per trace (summary, detail), then the picture's upload completes.
    f.answered =
        e2e.slack.wait_for_method("files.completeUploadExternal", traces, std::chrono::minutes(10));
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    f.peak_kb = status_kb(pid, "VmHWM:");
    // The job ends just after its last Slack call: read the settled figure, not a mid-free one
    // (polling is fine in a benchmark; the tests wait on events).
    long last = status_kb(pid, "VmRSS:");
    for (int i = 0; i < 30; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto now = status_kb(pid, "VmRSS:");
        if (now == last) break;
        last = now;
    }
    f.after_kb = last;
    f.in_flight_after = metric(e2e, "nra_spans_in_flight");
    e2e.server->terminate();
    return f;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t spans = 300'000;
    std::size_t traces = 2;
    std::vector<std::size_t> budgets;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--spans") == 0) spans = std::stoul(argv[++i]);
        if (std::strcmp(argv[i], "--traces") == 0) traces = std::stoul(argv[++i]);
        if (std::strcmp(argv[i], "--budget") == 0) budgets.push_back(std::stoul(argv[++i]));
    }
    if (budgets.empty()) budgets = {300'000, 2'000'000};
    nra::test::FakeNerdGraph nerdgraph;
    const auto end_ms = nra::test::now_ms() - 3'600'000;  // an hour old: no waiting for late spans
    for (std::size_t i = 0; i < traces; ++i) {
        nerdgraph.add_rows(
            1, nra::test::make_trace_rows(trace_id(i), spans, nra::test::RowDialect::agent, end_ms)
        );
    }
    fmt::print("{} traces of {} spans asked for at once through serve\n", traces, spans);
    std::vector<Figures> all;
    for (const auto budget : budgets) {
        const auto f = run(nerdgraph, traces, budget);
        all.push_back(f);
        fmt::print(
            "span budget {:>9}: RSS before {:.0f} MB, peak {:.0f} MB, after {:.0f} MB; {} of {} "
            "answered in {:.1f} s; spans in flight after: {}\n",
            f.budget,
            mb(f.before_kb),
            mb(f.peak_kb),
            mb(f.after_kb),
            f.answered,
            traces,
            f.seconds,
            f.in_flight_after
        );
    }
    for (std::size_t i = 1; i < all.size(); ++i) {
        fmt::print(
            "budget {} vs {}: peak ×{:.2f}, after ×{:.2f}, time ×{:.2f}\n",
            all[0].budget,
            all[i].budget,
            static_cast<double>(all[0].peak_kb) / static_cast<double>(all[i].peak_kb),
            static_cast<double>(all[0].after_kb) / static_cast<double>(all[i].after_kb),
            all[0].seconds / all[i].seconds
        );
    }
    bool ok = true;
    for (const auto& f : all) ok = ok && f.answered == traces;
    return ok ? 0 : 1;
}
