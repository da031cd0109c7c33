#include "app/cli.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app/trace_command.hpp"

namespace nra {
namespace {

constexpr const char* kUsage =
    R"(nr-analyzer — reads distributed traces so people in an incident don't have to.

Usage:
  nr-analyzer trace <trace-id | traceparent | New Relic link> [--format text|json|blocks] [--width N]
  nr-analyzer trace --file PATH [--trace-id ID] [--format text|json|blocks] [--width N]
  nr-analyzer demo                 list the bundled demo traces
  nr-analyzer --help | --version

Without NEW_RELIC_API_KEY, trace ids are looked up in the bundled demo dataset.
Trace files: New Relic NerdGraph/NRQL Span rows, OTLP JSON, Zipkin v2 or Jaeger JSON (detected).
Exit codes: 0 ok, 1 the trace could not be read or found, 2 usage error.
)";

int usage_error(const std::string& message) {
    fmt::print(stderr, "error: {}\nRun `nr-analyzer --help` for usage.\n", message);
    return 2;
}

// Parses `trace` arguments; returns an error message or empty.
std::string parse_trace_args(const std::vector<std::string>& args, TraceCommand& cmd) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* name) -> const std::string* {
            if (i + 1 >= args.size()) return nullptr;
            (void)name;
            return &args[++i];
        };
        if (a == "--file" || a == "--format" || a == "--trace-id" || a == "--width") {
            const std::string* v = value(a.c_str());
            if (v == nullptr) return fmt::format("{} needs a value", a);
            if (a == "--file") cmd.file = *v;
            if (a == "--format") cmd.format = *v;
            if (a == "--trace-id") cmd.trace_id = *v;
            if (a == "--width") {
                try {
                    cmd.width = std::stoi(*v);
                } catch (const std::exception&) {
                    return "--width needs a number";
                }
            }
        } else if (a.rfind("--", 0) == 0) {
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
    return {};
}

}  // namespace

int run_cli(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        fmt::print(args.empty() ? stderr : stdout, "{}", kUsage);
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        fmt::print("nr-analyzer 0.1.0\n");
        return 0;
    }
    if (args[0] == "demo") return run_demo_list();
    if (args[0] == "trace") {
        TraceCommand cmd;
        auto err = parse_trace_args({args.begin() + 1, args.end()}, cmd);
        if (!err.empty()) return usage_error(err);
        return run_trace_command(cmd);
    }
    return usage_error(fmt::format("unknown command `{}`", args[0]));
}

}  // namespace nra
