// The start-up check of serve's URL settings: what passes, what stops the bot, and that the line
// it prints names the variable and never shows a password.
#include "app/url_settings.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "support/env_map.hpp"

namespace url_settings_test {

using nra::redacted_url;
using nra::url_problem;
using nra::url_settings_problem;

namespace {

nra::EnvRead env_of(std::map<std::string, std::string> vars) {
    return nra::test::env_map(std::move(vars));
}

}  // namespace

TEST_CASE("http and https URLs with a host pass") {
    for (const char* url :
         {"https://slack.com/api",
          "http://127.0.0.1:3001/api",
          "HTTPS://api.eu.newrelic.com/graphql",
          "https://[::1]:8443/graphql?x=1",
          "https://bot:secret@jira.internal"}) {
        INFO(url);
        CHECK_FALSE(url_problem("SLACK_API_URL", url, {"https", "http"}).has_value());
    }
}

TEST_CASE("typos stop with a line that names the variable, the value and what is wrong") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"http//slack.example/api", "is not a valid URL (expected https:// or http://"},
        {"htps://slack.example/api", "must start with https:// or http://"},
        {"slack.example/api", "is not a valid URL"},
        {"https:/slack.example/api", "has no host"},
        {"https://:8080/api", "has no host"},
        {"https://slack.example:99999/api", "port that is not a number from 1 to 65535"},
        {"https://slack.example:0/api", "port that is not a number from 1 to 65535"},
        {"https://slack example/api", "is not a valid URL"},
        {"", "is not a valid URL"},
    };
    for (const auto& [url, why] : cases) {
        const auto problem = url_problem("SLACK_API_URL", url, {"https", "http"});
        INFO(url);
        REQUIRE(problem.has_value());
        CHECK(problem->rfind("SLACK_API_URL ", 0) == 0);
        CHECK(problem->find(why) != std::string::npos);
        CHECK(problem->find("\"" + url + "\"") != std::string::npos);
    }
}

TEST_CASE("a shown URL never carries its user or password, parsable or not") {
    const std::vector<std::pair<std::string, std::string>> shown{
        {"redis://user:hunter2@redis:6379/0", "redis://***@redis:6379/0"},
        {"http//bot:hunter2@slack", "http//***@slack"},
        {"redis://:pa/ss@wo@rd@host", "redis://***@host"},
        {"user:hunter2@host", "***@host"},
        {"https://slack.com/api", "https://slack.com/api"},
        {"https://x\n/y", "https://x?/y"},
    };
    for (const auto& [url, expected] : shown) CHECK(redacted_url(url) == expected);
    CHECK(redacted_url(std::string(500, 'a')).size() < 210);
    const auto problem = url_problem("REDIS_URL", "redis://u:hunter2@bad host", {"redis"});
    REQUIRE(problem.has_value());
    CHECK(problem->find("hunter2") == std::string::npos);
    CHECK(problem->find("redis://***@bad host") != std::string::npos);
}

TEST_CASE("the four settings are checked when set, REDIS_URL as the Redis client reads it") {
    CHECK_FALSE(url_settings_problem(env_of({})).has_value());
    const auto fine = env_of(
        {{"SLACK_API_URL", "https://slack.com/api\n"},
         {"JIRA_URL", "https://acme.atlassian.net"},
         {"NEW_RELIC_GRAPHQL_URL", ""},
         {"REDIS_URL", "redis://:pw@redis:6379/2"}}
    );
    CHECK_FALSE(url_settings_problem(fine).has_value());
    for (const char* name : {"SLACK_API_URL", "NEW_RELIC_GRAPHQL_URL", "JIRA_URL", "REDIS_URL"}) {
        const auto problem = url_settings_problem(env_of({{name, "http//host"}}));
        INFO(name);
        REQUIRE(problem.has_value());
        CHECK(problem->find(name) == 0);
        CHECK(problem->find("\"http//host\"") != std::string::npos);
    }
    const auto scheme = url_settings_problem(env_of({{"JIRA_URL", "redis://jira"}}));
    REQUIRE(scheme.has_value());
    CHECK(scheme->find("must start with") != std::string::npos);
    const auto redis = url_settings_problem(env_of({{"REDIS_URL", "redis://:pw@redis:6379/x"}}));
    REQUIRE(redis.has_value());
    CHECK(redis->find("database number") != std::string::npos);
    CHECK(redis->find("redis://***@redis:6379/x") != std::string::npos);
    const auto tls = url_settings_problem(env_of({{"REDIS_URL", "rediss://redis:6380"}}));
    REQUIRE(tls.has_value());
    CHECK(tls->find("not supported") != std::string::npos);
}

}  // namespace url_settings_test
