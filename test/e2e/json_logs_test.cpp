// Structured logs as a log collector sees them: `nr-analyzer serve` with
// NR_ANALYZER_LOG_FORMAT=json writes one JSON object per stderr line; the lines of a /trace
// job carry the request id the HTTP answer named in X-Request-Id; no secret reaches stderr.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "server_process.hpp"
#include "slack/signature.hpp"
#include "support/fake_nerdgraph.hpp"
#include "support/fake_slack.hpp"
#include "support/form_encode.hpp"
#include "support/run_async.hpp"
#include "support/scratch_dir.hpp"

namespace json_logs_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSecret = "e2e-json-logs-signing-secret-5c1d";
const std::string kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Answer {
    int status = 0;
    std::string request_id;  // the X-Request-Id response header
};

// POSTs `body` to /slack/events signed with `secret`, with extra headers.
Answer post(
    const ServerProcess& server,
    const std::string& body,
    const std::string& secret,
    const std::vector<nra::http::Header>& extra
) {
    const auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch()
    )
                                       .count());
    nra::http::Request request;
    request.url = server.url("/slack/events");
    request.body = body;
    request.timeout = std::chrono::seconds(10);
    request.headers = extra;
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.headers.push_back({"X-Slack-Request-Timestamp", ts});
    request.headers.push_back({"X-Slack-Signature", nra::slack::sign(secret, ts, body)});
    boost::asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), {});
    auto out = run_blocking(ioc, client.send(std::move(request)));
    return {out.ok() ? out.response.status : -1, std::string(out.response.header("X-Request-Id"))};
}

std::string trace_command(const FakeSlack& slack) {
    return "token=x&team_id=T1&team_domain=t&channel_id=C1&channel_name=incidents&user_id=U1"
           "&user_name=u&command=%2Ftrace&text=" +
           kTraceId + "&api_app_id=A1&response_url=" + form_encode(slack.response_url("r1")) +
           "&trigger_id=1.2.3";
}

std::vector<nlohmann::json> parse_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        INFO(line);
        auto json = nlohmann::json::parse(line, nullptr, false);
        CHECK(json.is_object());
        if (!json.is_object()) continue;
        static const std::regex utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
        CHECK(std::regex_match(json.value("time", ""), utc));
        CHECK(json["level"].is_string());
        CHECK(json["msg"].is_string());
        lines.push_back(std::move(json));
    }
    return lines;
}

// The request ids of the lines whose message starts with `prefix`.
std::vector<std::string> ids_of(
    const std::vector<nlohmann::json>& lines, const std::string& prefix
) {
    std::vector<std::string> ids;
    for (const auto& line : lines) {
        if (line["msg"].get<std::string>().rfind(prefix, 0) != 0) continue;
        ids.push_back(line.value("request_id", "<none>"));
    }
    return ids;
}

}  // namespace

TEST_CASE("serve writes JSON lines, and a job's lines carry its request's X-Request-Id") {
    FakeNerdGraph nerdgraph;
    nerdgraph.add_rows(1, make_trace_rows(kTraceId, 6, RowDialect::agent, now_ms() - 60'000));
    // One NerdGraph timeout: the job logs it (a New Relic client line), then retries and succeeds.
    nerdgraph.push_fault(NerdGraphFault::graphql("TIMEOUT"));
    FakeSlack slack;
    const std::string log_file = std::string(NRA_TEST_TMP_DIR) + "/serve.stderr";
    ServerProcess server(
        {{"PORT", "0"},
         {"SLACK_SIGNING_SECRET", kSecret},
         {"SLACK_BOT_TOKEN", FakeSlack::kBotToken},
         {"SLACK_API_URL", slack.api_url()},
         {"NEW_RELIC_API_KEY", FakeNerdGraph::kApiKey},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_GRAPHQL_URL", nerdgraph.url()},
         {"NEW_RELIC_REQUERIES", "0"},
         {"NR_ANALYZER_JOBS", "1"},
         {"NR_ANALYZER_LOG_FORMAT", "json"}},
        log_file
    );

    const auto traced =
        post(server, trace_command(slack), kSecret, {{"X-Request-Id", "e2e-req-42"}});
    CHECK(traced.status == 200);
    CHECK(traced.request_id == "e2e-req-42");  // a sane incoming id is kept
    const auto forged = post(server, "forged=1", "wrong-secret", {{"X-Request-Id", "bad id!"}});
    CHECK(forged.status == 401);
    CHECK(std::regex_match(forged.request_id, std::regex("[0-9a-f]{16}")));  // a fresh one
    REQUIRE(slack.wait_for_calls(1, 60s) >= 1);
    REQUIRE(server.terminate() == 0);  // drains the job: all its lines are written

    const auto text = read_file(log_file);
    INFO(text);
    const auto lines = parse_lines(text);
    CHECK(lines.size() >= 3);
    CHECK(ids_of(lines, "NerdGraph error") == std::vector<std::string>{"e2e-req-42"});
    CHECK(ids_of(lines, "job done in ") == std::vector<std::string>{"e2e-req-42"});
    const auto slack_lines = ids_of(lines, "slack ");  // the Slack client's lines in the job
    CHECK_FALSE(slack_lines.empty());
    for (const auto& id : slack_lines) CHECK(id == "e2e-req-42");
    CHECK(ids_of(lines, "refused a request") == std::vector<std::string>{forged.request_id});
    for (const auto& line : lines) {
        if (line["msg"].get<std::string>().rfind("job done in ", 0) == 0)
            CHECK(line["level"] == "info");
    }
    CHECK(text.find(kSecret) == std::string::npos);
    CHECK(text.find(FakeSlack::kBotToken) == std::string::npos);
    CHECK(text.find(FakeNerdGraph::kApiKey) == std::string::npos);
}

}  // namespace json_logs_test
