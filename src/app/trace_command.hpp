// `nr-analyzer trace` and `nr-analyzer demo`: load a trace (file or demo dataset), analyse it,
// print it. Errors are one line on stderr with a non-zero exit code.
#pragma once

#include <optional>
#include <string>

#include "nra/result.hpp"

namespace nra {

struct TraceCommand {
    std::string argument;  // trace id, traceparent or link
    std::string file;
    std::string trace_id;  // with --file: which trace of a multi-trace document
    std::string format = "text";
    int width = 100;
    std::string png;       // --png FILE: also write the waterfall picture there
    std::string baseline;  // --baseline FILE: a recorded answer to the baseline query
    std::string typical;   // --typical FILE: a normal request of the endpoint (with --file)
    std::optional<std::string>
        config;  // --config FILE (else NR_ANALYZER_CONFIG, ./nr-analyzer.yaml)
};

int run_trace_command(const TraceCommand& cmd);

// Reads a whole trace (or baseline) file; "-" is standard input. Errors name the reason.
Result<std::string> read_file(const std::string& path);
// One line "error: …" on stderr (control characters from the input as spaces); returns 1.
int fail_with(std::string message);
int run_demo_list();

}  // namespace nra
