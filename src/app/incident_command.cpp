#include "app/incident_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "app/improve_setup.hpp"
#include "app/live_sources.hpp"
#include "app/report_cli.hpp"
#include "app/trace_command.hpp"
#include "incident_report.hpp"
#include "newrelic/baseline_results.hpp"
#include "nra/analysis/baseline_apply.hpp"
#include "nra/analysis/incident.hpp"
#include "nra/analysis/typical.hpp"
#include "nra/formats/formats.hpp"
#include "nra/render/render_incident.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxTraces = 1000;  // a window, not an archive
constexpr const char* kRecordedWindow = "the recorded baseline";

struct IncidentCommand {
    std::string service;
    std::vector<std::string> files;
    std::string dir;
    std::string baseline;
    std::string format = "text";
    int width = 100;
    // live (no --file, no --dir)
    int window_minutes = kDefaultIncidentMinutes;
    std::string endpoint;
    std::size_t max_traces = 20;
    std::optional<std::string> config;
};

bool offline(const IncidentCommand& cmd) {
    return !cmd.files.empty() || !cmd.dir.empty();
}

std::string set_value(IncidentCommand& cmd, const std::string& option, const std::string& v) {
    if (option == "--file") cmd.files.push_back(v);
    if (option == "--dir") cmd.dir = v;
    if (option == "--baseline") cmd.baseline = v;
    if (option == "--format") cmd.format = v;
    if (option == "--width") cmd.width = std::clamp(std::atoi(v.c_str()), 40, 400);
    if (option == "--endpoint") cmd.endpoint = v;
    if (option == "--config") cmd.config = v;
    if (option == "--traces") {
        const int n = std::atoi(v.c_str());
        if (n < 1 || n > static_cast<int>(kMaxIncidentTraces)) return "--traces is 1 to 50";
        cmd.max_traces = static_cast<std::size_t>(n);
    }
    if (option == "--since") {
        auto minutes = parse_incident_window(v);
        if (!minutes) return "--since: " + minutes.error();
        cmd.window_minutes = *minutes;
    }
    return {};
}

std::string parse(const std::vector<std::string>& args, IncidentCommand& cmd) {
    static const std::set<std::string> kValued{
        "--file",
        "--dir",
        "--baseline",
        "--format",
        "--width",
        "--since",
        "--endpoint",
        "--traces",
        "--config"};
    bool live_option = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (kValued.contains(a)) {
            if (i + 1 >= args.size()) return fmt::format("{} needs a value", a);
            live_option |= a == "--since" || a == "--endpoint" || a == "--traces";
            if (auto err = set_value(cmd, a, args[++i]); !err.empty()) return err;
        } else if (a.rfind("--", 0) == 0) {
            return fmt::format("unknown option {}", a);
        } else if (cmd.service.empty()) {
            cmd.service = a;
        } else {
            return "too many arguments (quote a service name with spaces)";
        }
    }
    if (cmd.format != "text" && cmd.format != "json" && cmd.format != "blocks") {
        return "--format is text, json or blocks";
    }
    if (offline(cmd) && live_option)
        return "--since, --endpoint and --traces are for New Relic windows, not files";
    if (!offline(cmd) && cmd.service.empty()) {
        return "give a service (nr-analyzer incident <service> [--since 30m]) or the traces of "
               "the window (--file F … | --dir DIR)";
    }
    if (!offline(cmd) && !cmd.baseline.empty()) return "--baseline goes with --file or --dir";
    return {};
}

std::string render(const IncidentReport& report, const IncidentCommand& cmd) {
    if (cmd.format == "json") return render_incident_json(report);
    if (cmd.format == "text") return render_incident_text(report, cmd.width);
    Blocks doc{
        {"summary", render_incident_blocks_summary(report).document()},
        {"thread", render_incident_blocks_detail(report).document()}};
    return doc.dump(2, ' ', false, Blocks::error_handler_t::replace) + "\n";
}

boost::asio::awaitable<int> print_live(const Ports& ports, IncidentCommand cmd) {
    IncidentRequest request;
    request.service = cmd.service;
    request.endpoint = cmd.endpoint;
    request.window_minutes = cmd.window_minutes;
    request.max_traces = cmd.max_traces;
    auto report = co_await produce_incident(ports, std::move(request));
    if (!report) co_return fail_with(report.error());
    fmt::print("{}", render(*report, cmd));
    co_return 0;
}

int run_live(const IncidentCommand& cmd) {
    auto loaded = load_config(cmd.config);
    if (!loaded) return fail_with(loaded.error());
    for (const auto& warning : loaded->warnings) fmt::print(stderr, "warning: {}\n", warning);
    boost::asio::io_context ioc;
    auto sources = make_live_sources(ioc, cmd.config, loaded->config, nullptr);
    if (!sources) return fail_with(sources.error());
    const Ports ports = (*sources)->ports(loaded->config.baselines);
    int code = 1;
    boost::asio::co_spawn(ioc, print_live(ports, cmd), StoreExitCode{&code, "incident"});
    ioc.run();
    return code;
}

// The files of --dir (regular files, sorted) after the --file ones.
Result<std::vector<std::string>> input_files(const IncidentCommand& cmd) {
    std::vector<std::string> out = cmd.files;
    if (cmd.dir.empty()) return out;
    std::error_code ec;
    std::vector<std::string> listed;
    for (const auto& entry : std::filesystem::directory_iterator(cmd.dir, ec)) {
        if (entry.is_regular_file(ec)) listed.push_back(entry.path().string());
    }
    if (ec) return make_error(fmt::format("cannot list {}: {}", cmd.dir, ec.message()));
    std::sort(listed.begin(), listed.end());
    out.insert(out.end(), listed.begin(), listed.end());
    return out;
}

// Whether the trace passes through `service` (empty: every trace does).
bool passes_through(const TraceTree& tree, const std::string& service) {
    if (service.empty()) return true;
    return std::any_of(tree.trace.spans.begin(), tree.trace.spans.end(), [&](const Span& s) {
        return s.service == service;
    });
}

}  // namespace

int run_incident_cli(const std::vector<std::string>& args) {
    IncidentCommand cmd;
    if (auto err = parse(args, cmd); !err.empty()) {
        fmt::print(stderr, "error: {}\n", err);
        return 2;
    }
    if (!offline(cmd)) return run_live(cmd);
    auto files = input_files(cmd);
    if (!files) return fail_with(files.error());
    std::vector<BaselineStats> stats;
    if (!cmd.baseline.empty()) {
        auto data = read_file(cmd.baseline);
        if (!data) return fail_with(data.error());
        auto read = read_baseline_results(*data);
        if (!read)
            return fail_with(
                fmt::format("{} is not a baseline answer: {}", cmd.baseline, read.error())
            );
        stats = std::move(*read);
    }
    std::vector<std::unique_ptr<TraceTree>> trees;
    std::vector<std::string> notes;
    std::size_t skipped = 0, elsewhere = 0;
    for (const auto& path : *files) {
        auto data = read_file(path);
        auto traces = data ? read_traces(PaddedJson(std::move(*data)))
                           : Result<std::vector<Trace>>(make_error(data.error()));
        if (!traces) {
            if (++skipped <= 3)
                notes.push_back(fmt::format("Skipped {}: {}", path, traces.error()));
            continue;
        }
        for (auto& trace : *traces) {
            if (trees.size() >= kMaxTraces) break;
            auto tree = std::make_unique<TraceTree>(assemble(std::move(trace)));
            if (!passes_through(*tree, cmd.service)) {
                ++elsewhere;
                continue;
            }
            trees.push_back(std::move(tree));
        }
    }
    if (skipped > 3) notes.push_back(fmt::format("… and {} more files skipped.", skipped - 3));
    if (elsewhere > 0) {
        notes.push_back(fmt::format(
            "{} traces do not pass through {} and were left out.", elsewhere, cmd.service
        ));
    }
    if (trees.size() >= kMaxTraces) {
        notes.push_back(fmt::format("Only the first {} traces were analysed.", kMaxTraces));
    }
    std::vector<Summary> summaries;
    summaries.reserve(trees.size());
    std::vector<const TraceTree*> views;
    for (const auto& tree : trees) {
        summaries.push_back(summarize(*tree));
        if (stats.empty()) {
            mark_no_baseline(
                summaries.back(), BaselineOverview::State::not_asked, "no --baseline given."
            );
        } else {
            apply_baselines(summaries.back(), *tree, stats, BaselineOptions{}, kRecordedWindow);
        }
        views.push_back(tree.get());
    }
    auto report = analyse_window(
        cmd.service, summaries, views, typical_in_window(views), {}, IncidentOptions{}
    );
    report.notes.insert(report.notes.end(), notes.begin(), notes.end());
    fmt::print("{}", render(report, cmd));
    return trees.empty() ? 1 : 0;
}

}  // namespace nra
