// One Model Context Protocol session (JSON-RPC 2.0), whatever carries it (stdio, Streamable
// HTTP): the lifecycle (initialize, then notifications/initialized), ping, tools/list, tools/call
// with progress notifications and cancellation. Pure of transports: messages in as text, out
// through `Send`. Runs on one I/O thread; each message is handled in its own coroutine so a long
// tools/call leaves ping and cancellation answered meanwhile.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "ports.hpp"

namespace nra::mcp {

inline constexpr const char* kLatestProtocol = "2025-11-25";
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;  // a larger line is refused, not parsed

// JSON-RPC error codes (JSON-RPC 2.0; -32002 as LSP's "server not initialized").
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kNotInitialized = -32002;

class Session {
public:
    using Send = std::function<void(const nlohmann::json&)>;
    // `stateless` (Streamable HTTP without sessions: one Session per request): calls need no
    // initialize first, and initialize may come any time.
    Session(const Ports& ports, Send send, std::string version, bool stateless = false);

    // One message (one line of stdio, one HTTP body). Answers it through `send` (a request),
    // or not at all (a notification, a response, a cancelled call).
    boost::asio::awaitable<void> handle(std::string text);

    bool initialized() const { return state_ == State::ready; }

private:
    enum class State { fresh, initializing, ready };
    boost::asio::awaitable<void> call_tool(nlohmann::json id, nlohmann::json params);
    nlohmann::json initialize_result(const nlohmann::json& params);
    void respond(const nlohmann::json& id, nlohmann::json result);
    void fail(const nlohmann::json& id, int code, const std::string& message);

    const Ports& ports_;
    Send send_;
    std::string version_;
    State state_ = State::fresh;
    bool stateless_ = false;
    std::set<std::string> cancelled_;  // ids (dumped) of calls the client gave up on
    std::set<std::string> running_;
};

}  // namespace nra::mcp
