// Waterfall picture benchmark: layout and PNG painting of a 100k-span synthetic trace and of the
// largest real fixture (or the trace files given), median of 5 runs each, plus the PNG's size.
// Usage: nra_bench_picture [--out DIR] [FILE...]   (--out writes each picture as DIR/<name>.png)
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/waterfall_picture.hpp"
#include "picture/cairo_painter.hpp"
#include "synthetic_trace.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRuns = 5;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Times layout and painting of one document; returns false when it cannot be read.
bool bench_one(const std::string& name, const std::string& json, const std::string& out_dir) {
    auto trace = nra::read_trace(json);
    if (!trace) {
        fmt::print(stderr, "{}: {}\n", name, trace.error());
        return false;
    }
    const nra::TraceTree tree = nra::assemble(std::move(trace).value());
    const nra::Summary summary = nra::summarize(tree);
    std::vector<double> layout_ms;
    std::vector<double> paint_ms;
    std::string png;
    nra::WaterfallPicture picture;
    for (int run = 0; run < kRuns; ++run) {
        auto start = Clock::now();
        picture = nra::layout_waterfall(tree, summary);
        layout_ms.push_back(ms_since(start));
        start = Clock::now();
        png = nra::picture::paint_png(picture);
        paint_ms.push_back(ms_since(start));
    }
    fmt::print(
        "{:<44} {:>7} spans  {:>3} rows  {}x{} px  layout {:7.2f} ms  paint {:7.2f} ms  "
        "PNG {:6.1f} KB\n",
        name,
        tree.size(),
        picture.rows.size(),
        picture.width,
        picture.height,
        median(layout_ms),
        median(paint_ms),
        static_cast<double>(png.size()) / 1024.0
    );
    if (!out_dir.empty()) {
        std::ofstream(out_dir + "/" + name + ".png", std::ios::binary) << png;
    }
    return !png.empty();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace

int main(int argc, char** argv) {
    std::string out_dir;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--out" && i + 1 < argc) {
            out_dir = argv[++i];
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty()) {
        files.push_back(
            std::string(NRA_SOURCE_DIR) +
            "/test/fixtures/zipkin/smartthings-oauth-authorization.json"
        );
    }
    fmt::print("waterfall picture: median of {} runs (layout, then cairo + PNG encoding)\n", kRuns);
    bool ok = bench_one("synthetic-100k", nra::bench::make_trace_json(100'000, 42), out_dir);
    for (const auto& file : files) {
        ok = bench_one(std::filesystem::path(file).stem().string(), slurp(file), out_dir) && ok;
    }
    return ok ? 0 : 1;
}
