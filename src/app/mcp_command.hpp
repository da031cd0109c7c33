// `nr-analyzer mcp`: the analysis as MCP tools over stdio (mcp/): one JSON-RPC message per line
// on stdin, answers and notifications one per line on stdout, logs on stderr. New Relic when
// NEW_RELIC_API_KEY is set, else the demo dataset, as the terminal. Ends when stdin closes and
// the calls in flight have answered.
#pragma once

#include <string>
#include <vector>

namespace nra {

int run_mcp_command(const std::vector<std::string>& args);

}  // namespace nra
