// Window benchmark (issue 24): the CPU an /incident window costs once its traces are fetched:
// 20 synthetic traces of 1,000 spans each (NerdGraph JSON) read, assembled, summarised with
// baselines, compared with a typical request of their endpoint, aggregated and rendered (text,
// JSON, Block Kit). Target: ≤ 1 s of our CPU. The reference, measured in the same run, is
// parsing the same 20 documents into an nlohmann DOM (what a naive reader would pay first).
// Usage: nra_bench_incident [--traces N] [--spans N] [--runs N] [--check]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/allocator.hpp"
#include "nra/analysis/baseline_apply.hpp"
#include "nra/analysis/incident.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/render_incident.hpp"
#include "synthetic_trace.hpp"

namespace {

using nra::bench::usual_for;

double cpu_ms() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto ms = [](const timeval& t) {
        return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3;
    };
    return ms(u.ru_utime) + ms(u.ru_stime);
}

// The whole window once; returns the bytes rendered (so nothing is optimised away).
std::size_t analyse(
    const std::vector<std::string>& docs, const std::vector<nra::BaselineStats>& usual
) {
    std::vector<std::unique_ptr<nra::TraceTree>> trees;
    std::vector<nra::Summary> summaries;
    std::vector<const nra::TraceTree*> views;
    for (const auto& doc : docs) {
        auto trace = nra::read_trace(doc, nra::ReadOptions{}, {});
        if (!trace) continue;
        trees.push_back(std::make_unique<nra::TraceTree>(nra::assemble(std::move(trace).value())));
        summaries.push_back(nra::summarize(*trees.back()));
        nra::apply_baselines(
            summaries.back(), *trees.back(), usual, nra::BaselineOptions{}, "bench"
        );
        views.push_back(trees.back().get());
    }
    const auto report = nra::analyse_window("", summaries, views, nra::typical_in_window(views));
    return nra::render_incident_text(report).size() + nra::render_incident_json(report).size() +
           nra::render_incident_blocks_summary(report).dump().size() +
           nra::render_incident_blocks_detail(report).dump().size();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    nra::tune_allocator("bench");  // the allocator as nr-analyzer runs it
    std::size_t traces = 20, spans = 1000, runs = 7;
    bool check = false;
    for (int i = 1; i < argc; ++i) {
        const auto next = [&] { return i + 1 < argc ? std::strtoul(argv[++i], nullptr, 10) : 0UL; };
        if (std::strcmp(argv[i], "--traces") == 0) traces = std::max(1UL, next());
        if (std::strcmp(argv[i], "--spans") == 0) spans = std::max(10UL, next());
        if (std::strcmp(argv[i], "--runs") == 0) runs = std::max(1UL, next());
        if (std::strcmp(argv[i], "--check") == 0) check = true;
    }
    std::vector<std::string> docs;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < traces; ++i) {
        docs.push_back(nra::bench::make_trace_json(spans, 1000 + i));
        bytes += docs.back().size();
    }
    // The keys every trace asks for, answered once (as a warm baseline cache would).
    std::vector<nra::BaselineKey> keys;
    for (const auto& doc : docs) {
        auto trace = nra::read_trace(doc, nra::ReadOptions{}, {});
        const auto tree = nra::assemble(std::move(trace).value());
        for (auto& k : nra::baseline_keys(nra::summarize(tree), tree, 400))
            keys.push_back(std::move(k));
    }
    const auto usual = usual_for(keys);
    std::vector<double> window, reference;
    std::size_t sink = 0;
    for (std::size_t r = 0; r < runs; ++r) {
        double t0 = cpu_ms();
        for (const auto& doc : docs) sink += nlohmann::json::parse(doc).size();
        reference.push_back(cpu_ms() - t0);
        t0 = cpu_ms();
        sink += analyse(docs, usual);
        window.push_back(cpu_ms() - t0);
    }
    const double w = median(window), ref = median(reference);
    fmt::print(
        "window of {} traces × {} spans ({:.1f} MB of NerdGraph JSON), median of {} runs (CPU)\n",
        traces,
        spans,
        double(bytes) / 1e6,
        runs
    );
    fmt::print("  reference: nlohmann::json::parse of the documents  {:8.1f} ms\n", ref);
    fmt::print(
        "  incident window: read → assemble → summarize → baselines → compare → aggregate → render"
        "  {:8.1f} ms  ({:.2f}× the reference; target ≤ 1000 ms: {})\n",
        w,
        w / ref,
        w <= 1000 ? "met" : "MISSED"
    );
    fmt::print("  ({} bytes rendered)\n", sink % 1000);
    return check && w > 1000 ? 1 : 0;
}
