#include "app/incident_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "app/trace_command.hpp"
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
};

std::string parse(const std::vector<std::string>& args, IncidentCommand& cmd) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool valued =
            a == "--file" || a == "--dir" || a == "--baseline" || a == "--format" || a == "--width";
        if (valued) {
            if (i + 1 >= args.size()) return fmt::format("{} needs a value", a);
            const std::string& v = args[++i];
            if (a == "--file") cmd.files.push_back(v);
            if (a == "--dir") cmd.dir = v;
            if (a == "--baseline") cmd.baseline = v;
            if (a == "--format") cmd.format = v;
            if (a == "--width") cmd.width = std::clamp(std::atoi(v.c_str()), 40, 400);
        } else if (a.rfind("--", 0) == 0) {
            return fmt::format("unknown option {}", a);
        } else if (cmd.service.empty()) {
            cmd.service = a;
        } else {
            return "too many arguments";
        }
    }
    if (cmd.format != "text" && cmd.format != "json") return "--format is text or json";
    if (cmd.files.empty() && cmd.dir.empty()) {
        return "give the traces of the window: --file F [--file F2 …] or --dir DIR";
    }
    return {};
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

// A request worth comparing with a typical one: it failed, or it was slower than usual (without
// baselines: half again as slow as the typical one). Healthy requests vary in shape for their
// own reasons (a cache hit, a bigger cart); their differences are not the incident.
bool abnormal(const Summary& s, const TraceTree& typical) {
    if (!s.errors.empty()) return true;
    if (s.baseline.state == BaselineOverview::State::applied) {
        return s.baseline.request && s.baseline.request->verdict == BaselineVerdict::slower;
    }
    const double usual = typical.root < 0 ? 0 : to_ms(typical.span(typical.root).duration_us);
    return usual > 0 && s.duration_ms > 1.5 * usual;
}

}  // namespace

int run_incident_cli(const std::vector<std::string>& args) {
    IncidentCommand cmd;
    if (auto err = parse(args, cmd); !err.empty()) {
        fmt::print(stderr, "error: {}\n", err);
        return 2;
    }
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
        auto traces =
            data ? read_traces(*data) : Result<std::vector<Trace>>(make_error(data.error()));
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
    const auto typical = typical_in_window(views);
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        if (typical[i] < 0) continue;
        const TraceTree& other = *views[static_cast<std::size_t>(typical[i])];
        if (abnormal(summaries[i], other)) apply_comparison(summaries[i], *views[i], &other, {});
    }
    std::vector<const Summary*> pointers;
    for (const auto& s : summaries) pointers.push_back(&s);
    auto report = aggregate_incident(cmd.service, pointers);
    report.notes.insert(report.notes.end(), notes.begin(), notes.end());
    fmt::print(
        "{}",
        cmd.format == "json" ? render_incident_json(report)
                             : render_incident_text(report, cmd.width)
    );
    return trees.empty() ? 1 : 0;
}

}  // namespace nra
