// `serve`'s start-up settings through the real binary: a mistyped URL setting stops it with one
// line naming the variable and the value (its password hidden); NR_ANALYZER_METRICS_PORT moves
// /metrics to a port of its own while /healthz and /readyz stay on the main one.
#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "cli_run.hpp"
#include "slack_e2e.hpp"

namespace serve_settings_test {

using namespace nra::test;

namespace {

// `serve` with `env`; `timeout` ends a server that did not stop by itself (exit code 124).
Run serve_with(const std::string& env) {
    return run_cli(
        "PORT=0 SLACK_SIGNING_SECRET=s SLACK_BOT_TOKEN=xoxb-t " + env + " timeout 20", "serve"
    );
}

std::size_t lines(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) n += c == '\n' ? 1 : 0;
    return n;
}

struct Got {
    int status = 0;
    std::string body;
};

Got get(const std::string& url) {
    boost::asio::io_context ioc;
    nra::http::Client client(ioc.get_executor(), {});
    nra::http::Request request;
    request.method = "GET";
    request.url = url;
    const auto out = run_blocking(ioc, client.send(request));
    return {out.ok() ? out.response.status : -1, out.response.body};
}

}  // namespace

TEST_CASE("a mistyped URL setting stops serve with one line naming it") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"SLACK_API_URL", "http//slack.example/api"},
        {"NEW_RELIC_GRAPHQL_URL", "htps://api.newrelic.com/graphql"},
        {"JIRA_URL", "https//acme.atlassian.net"},
        {"REDIS_URL", "redis//redis.internal:6379"},
    };
    for (const auto& [name, value] : cases) {
        const Run run = serve_with(name + "='" + value + "'");
        INFO(name << ": " << run.err);
        CHECK(run.exit_code == 1);
        CHECK(lines(run.err) == 1);
        CHECK(run.err.find(name) != std::string::npos);
        CHECK(run.err.find(value) != std::string::npos);
    }
}

TEST_CASE("the line about a bad URL never shows its password") {
    for (const char* url :
         {"redis://user:hunter2@redis internal:6379", "http//bot:hunter2@slack"}) {
        const std::string name = url[0] == 'r' ? "REDIS_URL" : "SLACK_API_URL";
        const Run run = serve_with(name + "='" + url + "'");
        INFO(run.err);
        CHECK(run.exit_code == 1);
        CHECK(run.err.find(name) != std::string::npos);
        CHECK(run.err.find("hunter2") == std::string::npos);
        CHECK(run.err.find("***") != std::string::npos);
    }
}

TEST_CASE("NR_ANALYZER_METRICS_PORT serves /metrics alone, health stays on the main port") {
    ServerProcess server(
        {{"PORT", "0"},
         {"NR_ANALYZER_METRICS_PORT", "0"},
         {"SLACK_SIGNING_SECRET", kSecret},
         {"SLACK_BOT_TOKEN", "xoxb-metrics"},
         {"SLACK_API_URL", "http://127.0.0.1:9/api"}}
    );
    std::smatch m;
    const std::string banner = server.output();
    REQUIRE(std::regex_search(banner, m, std::regex(R"(GET /metrics on port (\d+))")));
    const std::string metrics = "http://127.0.0.1:" + m[1].str();
    CHECK(m[1].str() != std::to_string(server.port()));

    const Got scraped = get(metrics + "/metrics");
    CHECK(scraped.status == 200);
    CHECK(scraped.body.find("# TYPE nra_requests_total counter") != std::string::npos);
    CHECK(get(metrics + "/healthz").status == 404);
    CHECK(get(metrics + "/slack/events").status == 404);

    CHECK(get(server.url("/metrics")).status == 404);
    CHECK(get(server.url("/healthz")).status == 200);
    CHECK(get(server.url("/readyz")).status == 200);
    CHECK(server.terminate() == 0);
}

TEST_CASE("NR_ANALYZER_METRICS_PORT must be a port number") {
    const Run run = serve_with("NR_ANALYZER_METRICS_PORT=9o9o");
    INFO(run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.err.find("NR_ANALYZER_METRICS_PORT") != std::string::npos);
}

}  // namespace serve_settings_test
