// The MCP session with fake ports over the demo dataset: the lifecycle, the JSON-RPC errors
// (malformed JSON, unknown method, a call before initialize, huge messages), tools/list, and
// tools/call results, progress and bad arguments.
#include "mcp_session.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "demo/demo_context_source.hpp"
#include "demo/demo_metrics_source.hpp"
#include "support/handler_harness.hpp"

namespace mcp_session_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

struct Harness : HandlerHarness {
    Harness() : config(demo_improve_config()), wired(ports()) {
        wired.metrics = &metrics;
        wired.improve = &config;
        wired.context = &context;
        wired.epoch_seconds = [] { return std::int64_t{1795171200}; };
        session = std::make_unique<mcp::Session>(
            wired, [this](const json& m) { sent.push_back(m); }, "9.9.9"
        );
    }
    // Sends one line and returns what the session wrote in answer.
    std::vector<json> send(const std::string& line) {
        sent.clear();
        run_blocking(ioc, session->handle(line));
        return sent;
    }
    json request(int id, const std::string& method, json params = json::object()) {
        const auto out =
            send(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump()
            );
        REQUIRE_FALSE(out.empty());
        return out.back();
    }
    void initialize() {
        request(
            1,
            "initialize",
            {{"protocolVersion", "2025-06-18"},
             {"capabilities", json::object()},
             {"clientInfo", {{"name", "t"}, {"version", "1"}}}}
        );
        send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    }
    DemoMetricsSource metrics;
    DemoContextSource context;
    ImproveConfig config;
    Ports wired;
    std::vector<json> sent;
    std::unique_ptr<mcp::Session> session;
};

}  // namespace

TEST_CASE("mcp: initialize agrees on a version, names the server, offers tools") {
    Harness h;
    const auto r = h.request(1, "initialize", {{"protocolVersion", "2025-06-18"}});
    CHECK(r["id"] == 1);
    CHECK(r["result"]["protocolVersion"] == "2025-06-18");
    CHECK(r["result"]["serverInfo"]["name"] == "nr-analyzer");
    CHECK(r["result"]["serverInfo"]["version"] == "9.9.9");
    CHECK(r["result"]["capabilities"].contains("tools"));
    Harness other;
    CHECK(
        other.request(
            1, "initialize", {{"protocolVersion", "1999-01-01"}}
        )["result"]["protocolVersion"] == mcp::kLatestProtocol
    );
    CHECK(other.request(2, "initialize")["error"]["code"] == mcp::kInvalidRequest);  // once only
}

TEST_CASE("mcp: JSON-RPC errors for what is not a proper request") {
    Harness h;
    CHECK(h.request(7, "tools/list")["error"]["code"] == mcp::kNotInitialized);
    CHECK(h.request(8, "ping")["result"] == json::object());  // ping works at any time
    auto out = h.send("{not json");
    REQUIRE(out.size() == 1);
    CHECK(out[0]["error"]["code"] == mcp::kParseError);
    CHECK(out[0]["id"].is_null());
    CHECK(h.send("[1,2]")[0]["error"]["code"] == mcp::kInvalidRequest);
    CHECK(
        h.send(R"({"jsonrpc":"1.0","id":1,"method":"ping"})")[0]["error"]["code"] ==
        mcp::kInvalidRequest
    );
    CHECK(
        h.send(std::string(mcp::kMaxMessageBytes + 10, ' '))[0]["error"]["code"] ==
        mcp::kInvalidRequest
    );
    CHECK(h.send(R"({"jsonrpc":"2.0","id":1,"result":{}})").empty());  // a response: nothing
    CHECK(h.send(R"({"jsonrpc":"2.0","method":"notifications/whatever"})").empty());
    h.initialize();
    CHECK(h.request(9, "resources/list")["error"]["code"] == mcp::kMethodNotFound);
    CHECK(
        h.request(10, "tools/call", {{"name", "no_such_tool"}})["error"]["code"] ==
        mcp::kInvalidParams
    );
    CHECK(
        h.request(11, "tools/call", {{"arguments", json::object()}})["error"]["code"] ==
        mcp::kInvalidParams
    );
    CHECK(
        h.request(12, "tools/call", {{"name", "incident"}, {"arguments", "x"}})["error"]["code"] ==
        mcp::kInvalidParams
    );
}

TEST_CASE("mcp: tools/list gives every tool a description, an input and an output schema") {
    Harness h;
    h.initialize();
    const auto r = h.request(2, "tools/list");
    const auto& tools = r["result"]["tools"];
    REQUIRE(tools.size() == 4);
    for (const auto& t : tools) {
        CHECK(t["description"].get<std::string>().size() > 40);
        CHECK(t["inputSchema"]["type"] == "object");
        CHECK(t["outputSchema"]["type"] == "object");
    }
}

TEST_CASE("mcp: analyze_trace answers the terminal text and the Summary JSON, with progress") {
    Harness h;
    h.initialize();
    const auto out = h.send(json{
        {"jsonrpc", "2.0"},
        {"id", "a"},
        {"method", "tools/call"},
        {"params",
         {{"name", "analyze_trace"},
          {"arguments", {{"trace", kDemoTrace}}},
          {"_meta", {{"progressToken", 5}}}}}}
                                .dump());
    REQUIRE(out.size() == 3);  // progress 0, progress 1, the result
    CHECK(out[0]["method"] == "notifications/progress");
    CHECK(out[0]["params"]["progressToken"] == 5);
    CHECK(out[1]["params"]["progress"] == 1);
    const auto& result = out[2]["result"];
    CHECK(out[2]["id"] == "a");
    CHECK(result["isError"] == false);
    CHECK(result["structuredContent"]["trace_id"] == kDemoTrace);
    CHECK(result["content"][0]["text"].get<std::string>().find("N+1") != std::string::npos);
}

TEST_CASE("mcp: bad arguments and failures are tool results with isError and one sentence") {
    Harness h;
    h.initialize();
    for (const auto& [tool, args, expected] :
         std::vector<std::tuple<std::string, json, std::string>>{
             {"analyze_trace", {{"trace", "drop table"}}, "trace"},
             {"analyze_trace", {{"trace", 42}}, "required"},
             {"analyze_trace", {{"trace", kMissingTrace}}, kMissingTrace},
             {"improve_report", {{"service", std::string(300, 'x')}}, "too long"},
             {"improve_report", {{"service", "web-gateway"}, {"window", "99d"}}, "1–30"},
             {"incident", {{"service", "web-gatewy"}}, "did you mean"},
             {"incident", {{"service", "web-gateway"}, {"since", "7d"}}, "24h"},
             {"incident",
              {{"service", "web-gateway"}, {"since", std::string(500'000, '1')}},
              "window"}}) {
        INFO(tool << " " << args.dump().substr(0, 80));
        const auto r = h.request(3, "tools/call", {{"name", tool}, {"arguments", args}});
        REQUIRE(r.contains("result"));
        CHECK(r["result"]["isError"] == true);
        CHECK_FALSE(r["result"].contains("structuredContent"));
        CHECK(
            r["result"]["content"][0]["text"].get<std::string>().find(expected) != std::string::npos
        );
    }
}

TEST_CASE("mcp: incident and improve_report give their JSON contracts") {
    Harness h;
    h.initialize();
    const auto incident = h.request(
        4, "tools/call", {{"name", "incident"}, {"arguments", {{"service", "web-gateway"}}}}
    );
    CHECK(incident["result"]["structuredContent"]["suspects"][0]["service"] == "giftcard-service");
    const auto report = h.request(
        5, "tools/call", {{"name", "improve_report"}, {"arguments", {{"service", "web-gateway"}}}}
    );
    CHECK(report["result"]["structuredContent"]["service"] == "web-gateway");
    const auto review =
        h.request(6, "tools/call", {{"name", "slo_review"}, {"arguments", json::object()}});
    CHECK(review["result"]["isError"] == false);
}

}  // namespace mcp_session_test
