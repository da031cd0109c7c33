// `serve`'s start-up settings through the real binary: a mistyped URL setting stops it with one
// line naming the variable and the value (its password hidden).
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli_run.hpp"

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

}  // namespace serve_settings_test
