#include "app/trace_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/demo_data.hpp"
#include "app/fetch_trace.hpp"
#include "app/improve_setup.hpp"
#include "nra/baseline_apply.hpp"
#include "nra/pipeline.hpp"
#include "nra/render.hpp"
#include "nra/trace_argument.hpp"
#include "picture/cairo_painter.hpp"
#include "post_analysis.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;  // 1 GiB

// One line on stderr; control characters from the input (a crafted file could carry terminal
// escape sequences in an error message it quotes) become spaces.
int fail(std::string message) {
    for (char& c : message) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    fmt::print(stderr, "error: {}\n", message);
    return 1;
}

// Reads a whole trace file; "-" is standard input (pipes included). Errors name the reason.
Result<std::string> read_file(const std::string& path) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) {
        return make_error(fmt::format("{} is a directory, not a trace file", path));
    }
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) {
            return make_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
        }
    }
    std::istream& in = path == "-" ? std::cin : file;
    std::string data;
    std::array<char, 1 << 16> chunk{};
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        if (data.size() > kMaxFileBytes) {
            return make_error(
                fmt::format("{} is larger than 1 GiB", path == "-" ? "the input" : path)
            );
        }
    }
    if (in.bad()) return make_error(fmt::format("cannot read {}", path));
    return data;
}

// 12000 → "12,000": progress counts are read at a glance.
std::string grouped(std::size_t n) {
    std::string digits = std::to_string(n);
    for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), 1, ',');
    }
    return digits;
}

// "fetched 5,000 of ~12,000 spans…" on stderr while a long fetch runs, only on a terminal.
ProgressFn terminal_progress() {
    if (isatty(STDERR_FILENO) == 0) return {};
    return [](const FetchProgress& p) {
        if (!p.waiting.empty()) {
            fmt::print(stderr, "\r\033[K{}\n", p.waiting);
        } else if (p.expected > 0) {
            fmt::print(
                stderr, "\rfetched {} of ~{} spans…", grouped(p.fetched), grouped(p.expected)
            );
        } else {
            fmt::print(stderr, "\rfetched {} spans…", grouped(p.fetched));
        }
        std::fflush(stderr);
    };
}

void print(const Summary& summary, const TraceCommand& cmd) {
    RenderOptions ro;
    ro.width = cmd.width;
    if (cmd.format == "json") {
        fmt::print("{}\n", render_json(summary, ro));
    } else if (cmd.format == "blocks") {
        fmt::print(
            "{{\"summary\": {},\n\"detail\": {}}}\n",
            render_blocks_summary(summary, ro),
            render_blocks_detail(summary, ro)
        );
    } else {
        fmt::print("{}", render_text(summary, ro));
    }
}

// --png FILE: the waterfall picture, written after the text so a bad path still shows the
// analysis. Returns the exit code.
int write_picture(const TraceTree& tree, const Summary& summary, const std::string& path) {
    if (path.empty()) return 0;
    picture::CairoPainter painter;
    const std::string png = painter.waterfall_png(tree, summary);
    if (png.empty()) return fail("could not draw the waterfall picture");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return fail(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    out.write(png.data(), static_cast<std::streamsize>(png.size()));
    out.close();
    if (!out) return fail(fmt::format("cannot write {}", path));
    return 0;
}

constexpr const char* kFileWithoutBaseline =
    "usual durations are not fetched for a trace file; add --baseline FILE (a recorded answer "
    "to the baseline query) to compare with them.";

// --baseline FILE: the recorded usual durations, applied to the summary. Returns an error
// message or empty.
std::string apply_recorded_baseline(
    const TraceCommand& cmd, const BaselineOptions& options, const TraceTree& tree, Summary& s
) {
    auto data = read_file(cmd.baseline);
    if (!data) return data.error();
    auto stats = read_baseline_results(*data);
    if (!stats) return fmt::format("{} is not a baseline answer: {}", cmd.baseline, stats.error());
    apply_baselines(s, tree, *stats, options, "the recorded baseline");
    return {};
}

// Usual durations for a fetched trace: the recorded file when given, else from where the trace
// came from (New Relic or the demo dataset) unless the configuration turns them off.
std::string add_baselines(
    const TraceCommand& cmd, const ImproveConfig& config, const TraceTree& tree, Summary& s
) {
    if (!cmd.baseline.empty()) return apply_recorded_baseline(cmd, config.baselines, tree, s);
    if (!config.baselines_enabled) return {};
    BaselineQuery query;
    query.keys = baseline_keys(s, config.baselines.max_keys);
    query.trace_id = s.trace_id;
    query.window_hours = config.baselines.window_hours;
    const auto usual = fetch_baselines_blocking(std::move(query), config.baselines);
    apply_baseline_result(s, tree, usual, config.baselines);
    return {};
}

int run_file(const TraceCommand& cmd, const ImproveConfig& config) {
    auto data = read_file(cmd.file);
    if (!data) return fail(data.error());
    // analyze_document's steps, keeping the tree for the picture.
    auto trace = read_trace(*data, ReadOptions{}, cmd.trace_id);
    if (!trace) return fail(trace.error());
    const TraceTree tree = assemble(std::move(trace).value());
    Summary summary = summarize(tree);
    if (cmd.baseline.empty()) {
        mark_no_baseline(summary, BaselineOverview::State::not_asked, kFileWithoutBaseline);
    } else if (auto err = apply_recorded_baseline(cmd, config.baselines, tree, summary);
               !err.empty()) {
        return fail(err);
    }
    print(summary, cmd);
    return write_picture(tree, summary, cmd.png);
}

// The configuration file's settings (only `baselines:` matters here); warnings on stderr.
Result<ImproveConfig> trace_config(const TraceCommand& cmd) {
    auto loaded = load_config(cmd.config);
    if (!loaded) return make_error(loaded.error());
    for (const auto& warning : loaded->warnings) fmt::print(stderr, "warning: {}\n", warning);
    return std::move(loaded->config);
}

}  // namespace

int run_trace_command(const TraceCommand& cmd) {
    auto config = trace_config(cmd);
    if (!config) return fail(config.error());
    if (!cmd.file.empty()) return run_file(cmd, *config);
    auto arg = parse_trace_argument(cmd.argument);
    if (!arg) return fail(arg.error());  // rejected before any query is built
    auto progress = terminal_progress();
    auto fetched = fetch_trace_blocking({arg->trace_id, arg->alternates}, progress);
    if (progress) fmt::print(stderr, "\r\033[K");
    if (fetched.status != FetchStatus::found || !fetched.tree) return fail(fetched.message);
    auto summary = summarize(*fetched.tree, AnalysisOptions{});
    summary.notes.insert(summary.notes.end(), fetched.notes.begin(), fetched.notes.end());
    if (auto err = add_baselines(cmd, *config, *fetched.tree, summary); !err.empty()) {
        return fail(err);
    }
    print(summary, cmd);
    return write_picture(*fetched.tree, summary, cmd.png);
}

int run_demo_list() {
    fmt::print("Bundled demo traces (try `nr-analyzer trace <id>`):\n");
    for (const auto& demo : demo_traces()) {
        auto summary = analyze_document(demo.json);
        if (!summary) {
            fmt::print("  {}  (unreadable: {})\n", demo.trace_id, summary.error());
            continue;
        }
        fmt::print(
            "  {}  {:>7.0f} ms  {}\n", demo.trace_id, summary->duration_ms, summary->request
        );
        if (summary->findings.empty()) {
            fmt::print("      no findings\n");
            continue;
        }
        const auto& top = summary->findings.front();
        fmt::print("      top finding: {} in {}", top.kind, top.service);
        if (top.saving_ms > 0) fmt::print(" (saves ~{:.0f} ms)", top.saving_ms);
        fmt::print("\n");
    }
    return 0;
}

}  // namespace nra
