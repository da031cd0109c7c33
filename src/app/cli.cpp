#include "app/cli.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "app/allocator.hpp"
#include "app/environment.hpp"
#include "app/improve_cli.hpp"
#include "app/incident_command.hpp"
#include "app/log_secrets.hpp"
#include "app/mcp_command.hpp"
#include "app/serve_command.hpp"
#include "app/simulate_command.hpp"
#include "app/slo_review_cli.hpp"
#include "app/trace_command.hpp"
#include "log/log.hpp"
#include "log/log_format.hpp"

namespace nra {
namespace {

constexpr const char* kUsage =
    R"(nr-analyzer — reads distributed traces so people in an incident don't have to.

Usage:
  nr-analyzer trace <trace-id | traceparent | New Relic link> [--format text|json|blocks] [--width N]
                    [--png FILE] [--baseline FILE] [--config FILE]
  nr-analyzer trace --file PATH|- [--trace-id ID] [--format text|json|blocks] [--width N]
                    [--png FILE] [--baseline FILE] [--typical FILE] [--config FILE]
                                   analyse one trace; --png also writes its waterfall picture;
                                   --baseline compares with recorded usual durations;
                                   --typical compares with a normal request of the endpoint
  nr-analyzer incident <service> [--since 30m] [--endpoint NAME] [--traces N]
                    [--format text|json|blocks] [--config FILE]
                                   what is wrong with a service now: its endpoints against
                                   their usual week, a sample of the traces of those that are
                                   off (rare ones too), the most likely cause with evidence
  nr-analyzer incident [SERVICE] --file F [--file F2 …] | --dir DIR [--baseline FILE]
                    [--format text|json|blocks]
                                   the same over trace files you have (any format trace --file
                                   reads); SERVICE keeps the traces through it
  nr-analyzer mcp [--config FILE]  the analysis as MCP tools over stdio (JSON-RPC, one message
                                   per line) for AI assistants
  nr-analyzer demo                 list the bundled demo traces
  nr-analyzer serve [--config FILE]
                                   run the Slack bot server (PORT, SLACK_* variables: docs/production.md)
  nr-analyzer improve <service> [--window 7d] [--format text|json|blocks] [--config FILE]
  nr-analyzer improve --all [--post [CHANNEL]] [--config FILE]
                                   threshold and SLO report of a service's endpoints; --post
                                   sends it to Slack (the configured schedules' channels when
                                   no CHANNEL is given)
  nr-analyzer slo review [SERVICE] [--format text|json|blocks] [--config FILE]
                                   SLO review digest: attainment over the last windows, what
                                   spent the budget, keep/tighten/loosen, reviews due
  nr-analyzer simulate "/trace <id>" | --mention "<text>" [--thread TS] | --alert "<text>"
                     [--channel C] [--url URL]
                                   play Slack against a local `serve` and print what it posts
  nr-analyzer --help | --version

With NEW_RELIC_API_KEY and NEW_RELIC_ACCOUNT_ID set, traces are fetched from New Relic;
without them, trace ids are looked up in the bundled demo dataset.
NR_ANALYZER_LOG_LEVEL=info|debug shows retries and re-queries on stderr;
NR_ANALYZER_LOG_FORMAT=json writes those lines as JSON objects (text by default).
Trace files: New Relic NerdGraph/NRQL Span rows, OTLP JSON, Zipkin v2 or Jaeger JSON (detected).
Exit codes: 0 ok, 1 the trace could not be read or found, 2 usage error.
)";

// "80" → 80; anything else (empty, "80abc", out of range) → nullopt.
std::optional<int> parse_int(const std::string& text) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

// Applies one `--name value` option; returns an error message or empty.
std::string apply_option(const std::string& name, const std::string& value, TraceCommand& cmd) {
    if (name == "--file") cmd.file = value;
    if (name == "--format") cmd.format = value;
    if (name == "--trace-id") cmd.trace_id = value;
    if (name == "--png") cmd.png = value;
    if (name == "--baseline") cmd.baseline = value;
    if (name == "--typical") cmd.typical = value;
    if (name == "--config") cmd.config = value;
    if (name == "--width") {
        const auto width = parse_int(value);
        if (!width) return "--width needs a number";
        cmd.width = *width;
    }
    return {};
}

// Parses `trace` arguments; returns an error message or empty.
std::string parse_trace_args(const std::vector<std::string>& args, TraceCommand& cmd) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--file" || a == "--format" || a == "--trace-id" || a == "--width" ||
            a == "--png" || a == "--baseline" || a == "--typical" || a == "--config") {
            if (i + 1 >= args.size()) return fmt::format("{} needs a value", a);
            if (auto err = apply_option(a, args[++i], cmd); !err.empty()) return err;
        } else if (a.rfind("--", 0) == 0 && a != "--") {
            return fmt::format("unknown option {}", a);
        } else if (cmd.argument.empty()) {
            cmd.argument = a;
        } else {
            return "too many arguments";
        }
    }
    if (cmd.format != "text" && cmd.format != "json" && cmd.format != "blocks") {
        return "--format must be text, json or blocks";
    }
    if (cmd.width < 40 || cmd.width > 400) return "--width must be between 40 and 400";
    if (cmd.file.empty() == cmd.argument.empty()) return "give either a trace id or --file PATH";
    if (!cmd.trace_id.empty() && cmd.file.empty()) return "--trace-id only applies with --file";
    if (cmd.png == "-") return "--png needs a file name (the text goes to standard output)";
    if (!cmd.typical.empty() && cmd.file.empty()) return "--typical needs --file";
    if (cmd.typical == "-" && (cmd.file == "-" || cmd.baseline == "-"))
        return "only one of --file, --baseline and --typical can read stdin";
    if (cmd.baseline == "-" && cmd.file == "-")
        return "--baseline and --file cannot both read stdin";
    return {};
}

// The terminal shows one error line by default; NR_ANALYZER_LOG_LEVEL=debug|info|warn shows
// what happened on the way (retries, re-queries), on stderr.
void configure_logging() {
    const char* level = std::getenv("NR_ANALYZER_LOG_LEVEL");
    const std::string_view name = level == nullptr ? "" : level;
    log::set_level(
        name == "debug"  ? log::Level::debug
        : name == "info" ? log::Level::info
        : name == "warn" ? log::Level::warn
                         : log::Level::error
    );
    // NR_ANALYZER_LOG_FORMAT=json: one JSON object per line, for log collectors.
    const char* format = std::getenv("NR_ANALYZER_LOG_FORMAT");
    log::Format chosen = log::Format::text;
    if (format != nullptr && *format != '\0' && !log::parse_format(format, chosen)) {
        // Not echoed: whatever the variable holds stays out of the logs.
        fmt::print(stderr, "warning: NR_ANALYZER_LOG_FORMAT must be json or text; logging text\n");
    }
    log::set_format(chosen);
    register_log_secrets(env_value);
}

}  // namespace

int run_cli(int argc, char** argv) {
    configure_logging();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        fmt::print(args.empty() ? stderr : stdout, "{}", kUsage);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        fmt::print("nr-analyzer 0.1.0 (allocator: {})\n", allocator_name());
        return 0;
    }
    if (args[0] == "demo") return run_demo_list();
    if (args[0] == "serve") {
        if (args.size() == 3 && args[1] == "--config") return run_serve_command(args[2]);
        if (args.size() != 1) return usage_error("serve takes only --config FILE");
        return run_serve_command();
    }
    // `nr-analyzer <command> --help`: the one usage text, which covers every command.
    if (args.size() > 1 && (args[1] == "--help" || args[1] == "-h")) {
        fmt::print("{}", kUsage);
        return 0;
    }
    if (args[0] == "improve") return run_improve_cli({args.begin() + 1, args.end()});
    if (args[0] == "incident") return run_incident_cli({args.begin() + 1, args.end()});
    if (args[0] == "slo") return run_slo_cli({args.begin() + 1, args.end()});
    if (args[0] == "mcp") return run_mcp_command({args.begin() + 1, args.end()});
    if (args[0] == "simulate") return run_simulate_command({args.begin() + 1, args.end()});
    if (args[0] == "trace") {
        TraceCommand cmd;
        auto err = parse_trace_args({args.begin() + 1, args.end()}, cmd);
        if (!err.empty()) return usage_error(err);
        return run_trace_command(cmd);
    }
    return usage_error(fmt::format("unknown command `{}`", args[0]));
}

int usage_error(const std::string& message) {
    fmt::print(stderr, "error: {}\nRun `nr-analyzer --help` for usage.\n", message);
    return 2;
}

}  // namespace nra
