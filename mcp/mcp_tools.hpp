// The MCP tool table: each tool's name, description, input and output schema, and the flow it
// calls. Arguments are validated exactly as Slack's (trace ids, service names, windows; no free
// NRQL). A bad argument or a New Relic failure is a tool result with isError and one sentence.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ports.hpp"

namespace nra::mcp {

using Json = nlohmann::json;

struct ToolResult {
    std::string text;  // the terminal rendering, or the one sentence of an error
    Json structured;   // the JSON contract (null on error)
    bool error = false;
};

using ToolRun = std::function<boost::asio::awaitable<ToolResult>(const Ports&, Json)>;

struct Tool {
    std::string name;
    std::string description;
    Json input_schema;
    Json output_schema;
    ToolRun run;
};

const std::vector<Tool>& tools();
const Tool* find_tool(const std::string& name);

// {"name", "title"?, "description", "inputSchema", "outputSchema"} as tools/list lists it.
Json tool_listing(const Tool& tool);

}  // namespace nra::mcp
