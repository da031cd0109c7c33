#include "mcp_session.hpp"

#include <array>

#include "mcp_tools.hpp"

namespace nra::mcp {
namespace {

using boost::asio::awaitable;
using Json = nlohmann::json;

constexpr std::array<const char*, 4> kSupported{
    "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

bool valid_id(const Json& id) {
    return id.is_string() || id.is_number_integer();
}

}  // namespace

Session::Session(const Ports& ports, Send send, std::string version, bool stateless)
    : ports_(ports),
      send_(std::move(send)),
      version_(std::move(version)),
      state_(stateless ? State::ready : State::fresh),
      stateless_(stateless) {}

void Session::respond(const Json& id, Json result) {
    send_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Session::fail(const Json& id, int code, const std::string& message) {
    send_(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
}

Json Session::initialize_result(const Json& params) {
    std::string version = kLatestProtocol;
    if (params.is_object() && params.contains("protocolVersion") &&
        params["protocolVersion"].is_string()) {
        const auto asked = params["protocolVersion"].get<std::string>();
        for (const auto* v : kSupported) {
            if (asked == v) version = asked;
        }
    }
    return Json{
        {"protocolVersion", version},
        {"capabilities", {{"tools", {{"listChanged", false}}}}},
        {"serverInfo", {{"name", "nr-analyzer"}, {"title", "nr-analyzer"}, {"version", version_}}},
        {"instructions",
         "Deterministic analysis of New Relic distributed traces: critical path, detectors with "
         "the time each fix saves, usual durations, suspects with evidence, /improve reports, SLO "
         "reviews and incidents over a window. Cite the numbers and trace ids it returns."}};
}

awaitable<void> Session::handle(std::string text) {
    if (text.size() > kMaxMessageBytes) {
        fail(nullptr, kInvalidRequest, "message too large (1 MiB at most)");
        co_return;
    }
    const auto message = Json::parse(text, nullptr, false);
    if (message.is_discarded()) {
        fail(nullptr, kParseError, "parse error: not JSON");
        co_return;
    }
    if (!message.is_object() || message.value("jsonrpc", "") != "2.0") {
        fail(nullptr, kInvalidRequest, "not a JSON-RPC 2.0 message (batches are not supported)");
        co_return;
    }
    const bool has_id = message.contains("id");
    if (!message.contains("method") || !message["method"].is_string()) {
        if (!has_id || message.contains("result") || message.contains("error"))
            co_return;  // a response
        fail(message["id"], kInvalidRequest, "a request needs a method");
        co_return;
    }
    const auto method = message["method"].get<std::string>();
    const Json params = message.value("params", Json::object());
    if (!has_id) {  // notifications
        if (method == "notifications/initialized" && state_ == State::initializing)
            state_ = State::ready;
        if (method == "notifications/cancelled" && params.is_object() &&
            params.contains("requestId")) {
            cancelled_.insert(params["requestId"].dump());
        }
        co_return;
    }
    const Json& id = message["id"];
    if (!valid_id(id)) {
        fail(nullptr, kInvalidRequest, "the id must be a string or an integer");
        co_return;
    }
    if (method == "initialize") {
        if (state_ != State::fresh && !stateless_) {
            fail(id, kInvalidRequest, "already initialized");
            co_return;
        }
        if (!stateless_) state_ = State::initializing;
        respond(id, initialize_result(params));
        co_return;
    }
    if (method == "ping") {
        respond(id, Json::object());
        co_return;
    }
    if (state_ == State::fresh) {
        fail(id, kNotInitialized, "the session is not initialized: send initialize first");
        co_return;
    }
    state_ = State::ready;  // a request after the initialize answer: the client went on
    if (method == "tools/list") {
        Json list = Json::array();
        for (const auto& t : tools()) list.push_back(tool_listing(t));
        respond(id, Json{{"tools", std::move(list)}});
        co_return;
    }
    if (method == "tools/call") {
        auto calling = call_tool(id, params);  // named: GCC 12
        co_await std::move(calling);
        co_return;
    }
    fail(id, kMethodNotFound, "method not found: " + method);
}

awaitable<void> Session::call_tool(Json id, Json params) {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
        fail(id, kInvalidParams, "tools/call needs the tool's name");
        co_return;
    }
    const auto name = params["name"].get<std::string>();
    const Tool* tool = find_tool(name);
    if (tool == nullptr) {
        fail(id, kInvalidParams, "unknown tool: " + name);
        co_return;
    }
    Json args = params.value("arguments", Json::object());
    if (!args.is_object()) {
        fail(id, kInvalidParams, "the arguments must be an object");
        co_return;
    }
    const auto key = id.dump();
    if (!running_.insert(key).second) {
        fail(id, kInvalidRequest, "a call with this id is still running");
        co_return;
    }
    Json token = nullptr;
    if (params.contains("_meta") && params["_meta"].is_object() &&
        params["_meta"].contains("progressToken")) {
        token = params["_meta"]["progressToken"];
    }
    const auto progress = [this, &token](int done, const char* what) {
        if (token.is_null()) return;
        send_(Json{
            {"jsonrpc", "2.0"},
            {"method", "notifications/progress"},
            {"params",
             {{"progressToken", token}, {"progress", done}, {"total", 1}, {"message", what}}}});
    };
    progress(0, "asking New Relic and analysing");
    auto running = tool->run(ports_, std::move(args));  // named: GCC 12
    ToolResult result;
    try {
        result = co_await std::move(running);
    } catch (const std::exception&) {  // an infrastructure failure: said, never a crash
        result.error = true;
        result.text = "internal error while running " + name + "; the server's log has the details";
    }
    running_.erase(key);
    if (cancelled_.erase(key) > 0) co_return;  // the client gave up: no answer (as the spec asks)
    progress(1, "done");
    Json out{
        {"content", Json::array({Json{{"type", "text"}, {"text", result.text}}})},
        {"isError", result.error}};
    if (!result.error && result.structured.is_object())
        out["structuredContent"] = std::move(result.structured);
    respond(id, std::move(out));
}

}  // namespace nra::mcp
