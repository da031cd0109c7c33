// MCP over Streamable HTTP on `serve`: POST /mcp only with NR_ANALYZER_MCP_TOKEN set, and only
// with that bearer token; JSON-RPC answers as application/json, notifications 202, GET 405.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "slack_e2e.hpp"

namespace mcp_http_test {

using namespace nra::test;
using nlohmann::json;

namespace {

constexpr const char* kToken = "mcp-e2e-token-5b1f0c2a";

SlackE2E::Reply call(
    SlackE2E& e2e,
    const std::string& body,
    const std::string& auth,
    const std::string& method = "POST"
) {
    nra::http::Request request;
    request.method = method;
    request.url = e2e.server->url("/mcp");
    request.body = body;
    request.timeout = std::chrono::seconds(60);
    request.headers.push_back({"Content-Type", "application/json"});
    request.headers.push_back({"Accept", "application/json, text/event-stream"});
    if (!auth.empty()) request.headers.push_back({"Authorization", auth});
    nra::http::Client client(e2e.ioc.get_executor(), e2e.client_options);
    auto out = run_blocking(e2e.ioc, client.send(std::move(request)));
    SlackE2E::Reply r;
    r.status = out.ok() ? out.response.status : -1;
    r.body = out.response.body;
    return r;
}

}  // namespace

TEST_CASE("mcp over HTTP: off without a token, refused without the right one, answers with it") {
    SlackE2E off;
    CHECK(call(off, R"({"jsonrpc":"2.0","id":1,"method":"ping"})", "Bearer x").status == 404);

    SlackE2E e2e(std::map<std::string, std::string>{{"NR_ANALYZER_MCP_TOKEN", kToken}});
    const std::string bearer = std::string("Bearer ") + kToken;
    CHECK(call(e2e, R"({"jsonrpc":"2.0","id":1,"method":"ping"})", "").status == 401);
    CHECK(call(e2e, R"({"jsonrpc":"2.0","id":1,"method":"ping"})", "Bearer wrong").status == 401);
    CHECK(call(e2e, R"({"jsonrpc":"2.0","id":1,"method":"ping"})", bearer + "x").status == 401);
    CHECK(call(e2e, "", bearer, "GET").status == 405);

    const auto init = call(
        e2e,
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})",
        bearer
    );
    REQUIRE(init.status == 200);
    CHECK(json::parse(init.body)["result"]["serverInfo"]["name"] == "nr-analyzer");
    CHECK(
        call(e2e, R"({"jsonrpc":"2.0","method":"notifications/initialized"})", bearer).status == 202
    );

    const auto trace = call(
        e2e,
        R"({"jsonrpc":"2.0","id":"t","method":"tools/call","params":{"name":"analyze_trace","arguments":{"trace":"4bf92f3577b34da6a3ce929d0e0e4736"}}})",
        bearer
    );
    REQUIRE(trace.status == 200);
    const auto answer = json::parse(trace.body);
    CHECK(answer["id"] == "t");
    CHECK(answer["result"]["structuredContent"]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736");
    const auto bad = call(e2e, "{oops", bearer);
    CHECK(bad.status == 200);
    CHECK(json::parse(bad.body)["error"]["code"] == -32700);
    CHECK(e2e.metrics().find(kToken) == std::string::npos);
}

}  // namespace mcp_http_test
