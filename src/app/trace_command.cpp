#include "app/trace_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "analyse_trace.hpp"
#include "app/app_setup.hpp"
#include "app/live_sources.hpp"
#include "app/report_cli.hpp"
#include "demo/demo_data.hpp"
#include "newrelic/baseline_results.hpp"
#include "nra/analysis/baseline_apply.hpp"
#include "nra/analysis/pipeline.hpp"
#include "nra/analysis/typical.hpp"
#include "nra/render/render.hpp"
#include "nra/trace_argument.hpp"
#include "picture/cairo_painter.hpp"

namespace nra {

constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;  // 1 GiB

// One line on stderr; control characters from the input (a crafted file could carry terminal
// escape sequences in an error message it quotes) become spaces.
int fail_with(std::string message) {
    for (char& c : message) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    fmt::print(stderr, "error: {}\n", message);
    return 1;
}

// Reads a whole trace file; "-" is standard input (pipes included). Errors name the reason.
// A regular file is read in one go into a buffer of its size plus kJsonPadding, so that the
// readers parse it where it lies (PaddedJson); growing a string chunk by chunk cost a 100k-span
// file more than its whole analysis.
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
    const auto too_large = [&] {
        return make_error(fmt::format("{} is larger than 1 GiB", path == "-" ? "the input" : path));
    };
    std::string data;
    const auto size = path == "-" || !std::filesystem::is_regular_file(path, ec)
                          ? std::uintmax_t{0}
                          : std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxFileBytes) return too_large();
    if (!ec && size > 0) {
        data.resize(size + kJsonPadding);
        in.read(data.data(), static_cast<std::streamsize>(size));
        data.resize(static_cast<std::size_t>(in.gcount()));
    }
    std::array<char, 1 << 16> chunk{};  // pipes, and whatever a growing file added since
    while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
        data.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
        if (data.size() > kMaxFileBytes) return too_large();
    }
    if (in.bad()) return make_error(fmt::format("cannot read {}", path));
    return data;
}

namespace {

int fail(std::string message) {
    return fail_with(std::move(message));
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
            render_blocks_summary(summary, ro).dump(),
            render_blocks_detail(summary, ro).dump()
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

constexpr const char* kRecordedWindow = "the recorded baseline";

// --baseline FILE: the recorded usual durations.
Result<std::vector<BaselineStats>> recorded_baseline(const TraceCommand& cmd) {
    auto data = read_file(cmd.baseline);
    if (!data) return make_error(data.error());
    auto stats = read_baseline_results(*data);
    if (!stats) {
        return make_error(
            fmt::format("{} is not a baseline answer: {}", cmd.baseline, stats.error())
        );
    }
    return stats;
}

// --baseline FILE applied to a trace file's summary. Returns an error message or empty.
std::string apply_recorded_baseline(
    const TraceCommand& cmd, const BaselineOptions& options, const TraceTree& tree, Summary& s
) {
    auto stats = recorded_baseline(cmd);
    if (!stats) return stats.error();
    apply_baselines(s, tree, *stats, options, kRecordedWindow);
    return {};
}

// --baseline FILE for a fetched trace: the recorded usual durations answer the baseline query.
class RecordedBaselines final : public BaselineSource {
public:
    explicit RecordedBaselines(std::vector<BaselineStats> stats) : stats_(std::move(stats)) {}
    boost::asio::awaitable<BaselineResult> baselines(BaselineQuery /*query*/) override {
        BaselineResult result;
        result.status = FetchStatus::found;
        result.stats = stats_;
        result.window = kRecordedWindow;
        co_return result;
    }

private:
    std::vector<BaselineStats> stats_;
};

// Baselines from the recorded file when given; null: the live source's (or none).
Result<std::unique_ptr<BaselineSource>> recorded_source(const TraceCommand& cmd) {
    if (cmd.baseline.empty()) return std::unique_ptr<BaselineSource>();
    auto stats = recorded_baseline(cmd);
    if (!stats) return make_error(stats.error());
    return std::unique_ptr<BaselineSource>(
        std::make_unique<RecordedBaselines>(std::move(stats).value())
    );
}

// The analysis flow every Slack entry point uses, with the terminal's progress counter.
boost::asio::awaitable<int> analyse_live(
    const Ports& ports, TraceArgument arg, TraceCommand cmd, ProgressFn progress
) {
    AnalysisRequest request;
    request.query = TraceQuery{arg.trace_id, arg.alternates};
    request.progress = progress;
    auto analysed = co_await analyse_trace(ports, std::move(request));
    if (progress) fmt::print(stderr, "\r\033[K");
    if (!analysed) co_return fail(analysed.error());
    const Analysis& analysis = **analysed;
    print(analysis.summary, cmd);
    co_return write_picture(analysis.tree(), analysis.summary, cmd.png);
}

int run_live(const TraceCommand& cmd, const ImproveConfig& config, const TraceArgument& arg) {
    boost::asio::io_context ioc;
    auto recorded = recorded_source(cmd);
    if (!recorded) return fail(recorded.error());
    auto sources = make_live_sources(ioc, cmd.config, config, std::move(recorded).value());
    if (!sources) return fail(sources.error());
    const Ports ports = (*sources)->ports(config.baselines);
    int code = 1;
    boost::asio::co_spawn(
        ioc, analyse_live(ports, arg, cmd, terminal_progress()), StoreExitCode{&code, "trace"}
    );
    ioc.run();
    return code;
}

int run_file(const TraceCommand& cmd, const ImproveConfig& config) {
    auto data = read_file(cmd.file);
    if (!data) return fail(data.error());
    // analyze_document's steps, keeping the tree for the picture.
    auto trace = read_trace(PaddedJson(std::move(*data)), ReadOptions{}, cmd.trace_id);
    if (!trace) return fail(trace.error());
    const TraceTree tree = assemble(std::move(trace).value());
    Summary summary = summarize(tree);
    if (cmd.baseline.empty()) {
        mark_no_baseline(summary, BaselineOverview::State::not_asked, kFileWithoutBaseline);
    } else if (auto err = apply_recorded_baseline(cmd, config.baselines, tree, summary);
               !err.empty()) {
        return fail(err);
    }
    if (!cmd.typical.empty()) {
        auto typical = read_file(cmd.typical);
        if (!typical) return fail(typical.error());
        auto typical_trace = read_trace(PaddedJson(std::move(*typical)), ReadOptions{}, {});
        if (!typical_trace) {
            return fail(fmt::format("{} is not a trace: {}", cmd.typical, typical_trace.error()));
        }
        const TraceTree typical_tree = assemble(std::move(typical_trace).value());
        if (const auto why = unfit_as_typical(tree, typical_tree); !why.empty()) {
            summary.notes.push_back(fmt::format("The trace given with --typical: {}.", why));
        }
        apply_comparison(summary, tree, &typical_tree, {});
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
    return run_live(cmd, *config, *arg);
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
