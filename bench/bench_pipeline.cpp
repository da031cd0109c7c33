// Pipeline benchmark: synthetic New Relic traces of 1k, 10k, 100k and 1M spans (NerdGraph JSON,
// both attribute dialects), timed through read_trace → assemble → summarize →
// render_text/render_json. The document is a PaddedJson, read in place as the server's joined pages
// and files are. Each size runs in a forked child so its peak RSS (wait4) is not masked by a larger
// size. Usage: nra_bench [--quick] [--check]   (--check: exit 1 when a target is missed)
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/allocator.hpp"
#include "nra/analysis/baseline_apply.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/render.hpp"
#include "synthetic_trace.hpp"

namespace {

using nra::bench::usual_for;

using nra::bench::make_trace_json;

// ---- measurement -------------------------------------------------------------------------------

enum Stage { kRead, kAssemble, kSummarize, kBaselines, kRender, kEndToEnd, kStages };
constexpr std::array<const char*, kStages> kStageNames = {
    "read_trace", "assemble", "summarize", "baselines", "render text+json", "end-to-end"};

// Sent from the child to the parent through a pipe: plain bytes, no pointers.
struct SizeResult {
    double median_ms[kStages] = {};
    double min_ms[kStages] = {};
    double json_mb = 0;
    double gen_rss_mb = 0;   // child peak before the pipeline ran (generator + JSON)
    double peak_rss_mb = 0;  // filled by the parent from wait4
    int spans_read = 0;
    int findings = 0;
    int reps = 0;
    char error[240] = {};
};

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double max_rss_mb(const rusage& ru) {
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// One pass through the pipeline; fills one sample per stage. False (and r.error) on a read error.
bool run_once(const nra::PaddedJson& json, std::array<double, kStages>& sample, SizeResult& r) {
    const auto t0 = Clock::now();
    auto trace = nra::read_trace(json);
    const auto t1 = Clock::now();
    if (!trace.ok()) {
        std::snprintf(r.error, sizeof r.error, "read_trace: %s", trace.error().c_str());
        return false;
    }
    const auto tree = nra::assemble(std::move(trace).value());
    const auto t2 = Clock::now();
    auto summary = nra::summarize(tree);
    const auto t3 = Clock::now();
    const auto keys = nra::baseline_keys(summary, nra::BaselineOptions{}.max_keys);
    nra::apply_baselines(summary, tree, usual_for(keys), nra::BaselineOptions{}, "last 24 h");
    const auto t4 = Clock::now();
    const auto text = nra::render_text(summary);
    const auto out = nra::render_json(summary);
    const auto t5 = Clock::now();
    sample = {
        ms_between(t0, t1),
        ms_between(t1, t2),
        ms_between(t2, t3),
        ms_between(t3, t4),
        ms_between(t4, t5),
        ms_between(t0, t5)};
    r.spans_read = static_cast<int>(tree.size());
    r.findings = static_cast<int>(summary.findings.size());
    return !text.empty() && !out.empty();
}

SizeResult measure(std::size_t n, int reps) {
    SizeResult r;
    const nra::PaddedJson json(make_trace_json(n, 0x5EED0000 + n));
    r.json_mb = static_cast<double>(json.view().size()) / (1024.0 * 1024.0);
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    r.gen_rss_mb = max_rss_mb(ru);
    std::array<std::vector<double>, kStages> samples;
    std::array<double, kStages> sample{};
    if (!run_once(json, sample, r)) return r;  // warm-up, not counted
    for (int k = 0; k < reps; ++k) {
        if (!run_once(json, sample, r)) return r;
        for (int s = 0; s < kStages; ++s) samples[s].push_back(sample[s]);
    }
    for (int s = 0; s < kStages; ++s) {
        r.median_ms[s] = median(samples[s]);
        r.min_ms[s] = *std::min_element(samples[s].begin(), samples[s].end());
    }
    r.reps = reps;
    return r;
}

bool read_all(int fd, void* buf, std::size_t len) {
    auto* p = static_cast<char*>(buf);
    while (len > 0) {
        const auto got = read(fd, p, len);
        if (got <= 0) return false;
        p += got;
        len -= static_cast<std::size_t>(got);
    }
    return true;
}

// Runs measure() in a forked child; the child's peak RSS comes from wait4.
SizeResult measure_in_child(std::size_t n, int reps) {
    SizeResult r;
    int fds[2];
    if (pipe(fds) != 0) {
        std::snprintf(r.error, sizeof r.error, "pipe failed");
        return r;
    }
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const SizeResult res = measure(n, reps);
        const bool ok = write(fds[1], &res, sizeof res) == static_cast<ssize_t>(sizeof res);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    const bool got = pid > 0 && read_all(fds[0], &r, sizeof r);
    close(fds[0]);
    int status = 0;
    rusage ru{};
    if (pid > 0) wait4(pid, &status, 0, &ru);
    if (!got) std::snprintf(r.error, sizeof r.error, "child failed (status %d)", status);
    r.peak_rss_mb = max_rss_mb(ru);
    return r;
}

// ---- report ------------------------------------------------------------------------------------

struct Target {
    std::size_t spans;
    double end_to_end_ms;
};
constexpr std::array<Target, 2> kTargets = {{{10'000, 20.0}, {100'000, 300.0}}};

void print_size(std::size_t n, const SizeResult& r) {
    fmt::print(
        "\n{} spans  (JSON {:.1f} MB, read {} spans, {} findings, {} reps; peak RSS {:.0f} MB, "
        "{:.0f} MB before the pipeline ran: generator + JSON)\n",
        n,
        r.json_mb,
        r.spans_read,
        r.findings,
        r.reps,
        r.peak_rss_mb,
        r.gen_rss_mb
    );
    fmt::print("  {:<18} {:>12} {:>12} {:>14}\n", "stage", "median ms", "min ms", "µs per span");
    for (int s = 0; s < kStages; ++s) {
        fmt::print(
            "  {:<18} {:>12.2f} {:>12.2f} {:>14.3f}\n",
            kStageNames[s],
            r.median_ms[s],
            r.min_ms[s],
            r.median_ms[s] * 1000.0 / static_cast<double>(n)
        );
    }
}

// Ratios of consecutive sizes, next to what linear and n·log n growth would give.
void print_growth(const std::vector<std::size_t>& sizes, const std::vector<SizeResult>& res) {
    const auto row = [&](std::string_view name, auto&& ratio) {
        fmt::print("  {:<18}", name);
        for (std::size_t k = 1; k < sizes.size(); ++k) fmt::print(" {:>10.2f}", ratio(k));
        fmt::print("\n");
    };
    const auto n = [&](std::size_t k) { return static_cast<double>(sizes[k]); };
    fmt::print("\nGrowth of the median time\n  {:<18}", "");
    for (std::size_t k = 1; k < sizes.size(); ++k) {
        fmt::print(" {:>10}", fmt::format("{}k/{}k", sizes[k] / 1000, sizes[k - 1] / 1000));
    }
    fmt::print("\n");
    row("(n)", [&](std::size_t k) { return n(k) / n(k - 1); });
    row("(n·log n)",
        [&](std::size_t k) { return n(k) * std::log(n(k)) / (n(k - 1) * std::log(n(k - 1))); });
    for (int s = 0; s < kStages; ++s) {
        row(kStageNames[s], [&](std::size_t k) {
            return res[k].median_ms[s] / std::max(res[k - 1].median_ms[s], 1e-6);
        });
    }
}

bool print_targets(const std::vector<std::size_t>& sizes, const std::vector<SizeResult>& res) {
    bool all_met = true;
    fmt::print("\nTargets (median end-to-end)\n");
    for (const auto& t : kTargets) {
        const auto it = std::find(sizes.begin(), sizes.end(), t.spans);
        if (it == sizes.end()) continue;
        const double got = res[static_cast<std::size_t>(it - sizes.begin())].median_ms[kEndToEnd];
        const bool met = got <= t.end_to_end_ms;
        all_met = all_met && met;
        fmt::print(
            "  {:>7} spans: {:8.2f} ms  (target ≤ {:.0f} ms)  {}\n",
            t.spans,
            got,
            t.end_to_end_ms,
            met ? "met" : "MISSED"
        );
    }
    return all_met;
}

void print_build() {
#if defined(__OPTIMIZE__)
    const char* opt = "optimized";
#else
    const char* opt = "NOT optimized (use the release preset for real figures)";
#endif
#if defined(__SANITIZE_ADDRESS__)
    const char* san = ", AddressSanitizer ON (figures are not representative)";
#else
    const char* san = "";
#endif
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    fmt::print(
        "nra_bench: {} build{}; {} CPUs online; GLIBC_TUNABLES={}\n",
        opt,
        san,
        sysconf(_SC_NPROCESSORS_ONLN),
        tunables == nullptr ? "(unset)" : tunables
    );
}

}  // namespace

// Runs every size in its own child process and prints the table; see the file comment.
int main(int argc, char** argv) {
    nra::tune_allocator("bench");  // the allocator as nr-analyzer runs it
    bool quick = false;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        quick = quick || arg == "--quick";
        check = check || arg == "--check";
    }
    print_build();
    const std::vector<std::size_t> sizes = {1'000, 10'000, 100'000, 1'000'000};
    const std::vector<int> reps =
        quick ? std::vector<int>{5, 3, 2, 1} : std::vector<int>{41, 21, 7, 3};
    std::vector<SizeResult> results;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
        results.push_back(measure_in_child(sizes[k], reps[k]));
        if (results.back().error[0] != '\0') {
            fmt::print(stderr, "{} spans: {}\n", sizes[k], results.back().error);
            return 2;
        }
        print_size(sizes[k], results.back());
    }
    print_growth(sizes, results);
    const bool met = print_targets(sizes, results);
    return check && !met ? 1 : 0;
}
