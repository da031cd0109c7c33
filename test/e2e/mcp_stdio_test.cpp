// `nr-analyzer mcp` as a process: JSON-RPC lines on stdin (then stdin closes), one answer per
// line on stdout, nothing else there; the process ends once the calls in flight have answered.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_run.hpp"

namespace mcp_stdio_test {

using namespace nra::test;
using nlohmann::json;

namespace {

std::string input_file(const std::string& name, const std::string& text) {
    const std::string path = std::string(NRA_TEST_TMP_DIR) + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::vector<json> lines_of(const std::string& out) {
    std::vector<json> messages;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        auto m = json::parse(line, nullptr, false);
        REQUIRE_FALSE(m.is_discarded());  // stdout holds protocol messages only
        messages.push_back(std::move(m));
    }
    return messages;
}

const json* answer(const std::vector<json>& messages, const json& id) {
    for (const auto& m : messages) {
        if (m.contains("id") && m["id"] == id) return &m;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("mcp over stdio: a session from initialize to a closed stdin") {
    const std::string session =
        R"({"jsonrpc":"2.0","id":0,"method":"tools/list"})"
        "\n"
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
        "\n"
        R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
        "\r\n"
        "\n"
        "this is not json\n"
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"analyze_trace","arguments":{"trace":"7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d"}}})"
        "\n"
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"incident","arguments":{"service":"web-gateway"}}})"
        "\n"
        R"({"jsonrpc":"2.0","id":4,"method":"no/such"})"
        "\n";
    const auto path = input_file("mcp/session.jsonl", session);
    const auto run = run_cli("", "mcp < " + path);
    CHECK(run.exit_code == 0);
    const auto messages = lines_of(run.out);
    REQUIRE(messages.size() == 6);
    CHECK((*answer(messages, 0))["error"]["code"] == -32002);  // before initialize
    CHECK((*answer(messages, 1))["result"]["protocolVersion"] == "2025-11-25");
    const auto* trace = answer(messages, 2);
    REQUIRE(trace != nullptr);
    CHECK(
        (*trace)["result"]["structuredContent"]["trace_id"] == "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d"
    );
    const auto* incident = answer(messages, 3);
    REQUIRE(incident != nullptr);
    CHECK(
        (*incident)["result"]["structuredContent"]["suspects"][0]["service"] == "giftcard-service"
    );
    CHECK((*answer(messages, 4))["error"]["code"] == -32601);
    bool parse_error = false;
    for (const auto& m : messages)
        parse_error |= m.contains("error") && m["error"]["code"] == -32700;
    CHECK(parse_error);
}

TEST_CASE("mcp over stdio: an empty stdin ends at once, extra arguments are refused") {
    const auto path = input_file("mcp/empty.jsonl", "");
    const auto run = run_cli("", "mcp < " + path);
    CHECK(run.exit_code == 0);
    CHECK(run.out.empty());
    CHECK(run_cli("", "mcp --bogus < " + path).exit_code == 2);
}

}  // namespace mcp_stdio_test
