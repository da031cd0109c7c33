// `nr-analyzer incident`: the suspects of a window of traces. Offline over trace files you have
// (`--file F …`, `--dir DIR`, with `--baseline FILE`): nothing is fetched. Errors are one line on
// stderr with a non-zero exit code.
#pragma once

#include <string>
#include <vector>

namespace nra {

int run_incident_cli(const std::vector<std::string>& args);

}  // namespace nra
