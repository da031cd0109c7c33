// The terminal surface: `nr-analyzer trace …`, `serve`, `improve`, `slo review`, `simulate`.
// Returns the exit code.
#pragma once

#include <string>

namespace nra {

int run_cli(int argc, char** argv);

// Prints "error: <message>" and where to find the usage to stderr; returns exit code 2.
int usage_error(const std::string& message);

}  // namespace nra
