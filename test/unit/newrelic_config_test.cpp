// New Relic settings from the environment: demo mode without a key, clear errors otherwise.
#include "newrelic/newrelic_config.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "support/env_map.hpp"

namespace newrelic_config_test {

using namespace nra::newrelic;

namespace {

EnvLookup env(std::map<std::string, std::string> values) {
    return nra::test::env_map(std::move(values));
}

}  // namespace

TEST_CASE("no key means the demo dataset") {
    auto cfg = config_from_env(env({{"NEW_RELIC_ACCOUNT_ID", "1"}}));
    REQUIRE(cfg.ok());
    CHECK_FALSE(cfg->has_value());
}

TEST_CASE("key, accounts, region and URL") {
    auto cfg = config_from_env(env(
        {{"NEW_RELIC_API_KEY", " NRAK-SECRET \n"},
         {"NEW_RELIC_ACCOUNT_ID", "123, 456,123"},
         {"NEW_RELIC_REGION", "eu"}}
    ));
    REQUIRE(cfg.ok());
    REQUIRE(cfg->has_value());
    const auto& c = **cfg;
    CHECK(c.api_key == "NRAK-SECRET");
    CHECK(c.accounts == std::vector<std::int64_t>{123, 456});
    CHECK(c.graphql_url == "https://api.eu.newrelic.com/graphql");
    auto custom = config_from_env(env(
        {{"NEW_RELIC_API_KEY", "k"},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_REGION", "EU"},
         {"NEW_RELIC_GRAPHQL_URL", "http://127.0.0.1:9/graphql"}}
    ));
    CHECK((*custom)->graphql_url == "http://127.0.0.1:9/graphql");
}

TEST_CASE("bad settings are named, and the key is never echoed") {
    const std::string key = "NRAK-VERYSECRET";
    auto check = [&](std::map<std::string, std::string> extra, const char* expected) {
        extra["NEW_RELIC_API_KEY"] = key;
        auto cfg = config_from_env(env(extra));
        REQUIRE_FALSE(cfg.ok());
        CHECK(cfg.error().find(expected) != std::string::npos);
        CHECK(cfg.error().find(key) == std::string::npos);
    };
    check({}, "NEW_RELIC_ACCOUNT_ID is required");
    check({{"NEW_RELIC_ACCOUNT_ID", "12a"}}, "NEW_RELIC_ACCOUNT_ID");
    check({{"NEW_RELIC_ACCOUNT_ID", "-4"}}, "NEW_RELIC_ACCOUNT_ID");
    check({{"NEW_RELIC_ACCOUNT_ID", "1"}, {"NEW_RELIC_REGION", "mars"}}, "NEW_RELIC_REGION");
    check(
        {{"NEW_RELIC_ACCOUNT_ID", "1"}, {"NEW_RELIC_GRAPHQL_URL", "ftp://x"}},
        "NEW_RELIC_GRAPHQL_URL"
    );
    check(
        {{"NEW_RELIC_ACCOUNT_ID", "1"}, {"NEW_RELIC_MAX_CONCURRENCY", "26"}},
        "NEW_RELIC_MAX_CONCURRENCY must be a whole number from 1 to 25"
    );
    check(
        {{"NEW_RELIC_ACCOUNT_ID", "1"}, {"NEW_RELIC_TRACE_LOOKBACK_HOURS", "x"}},
        "NEW_RELIC_TRACE_LOOKBACK_HOURS"
    );
}

TEST_CASE("tuning settings") {
    auto cfg = config_from_env(env(
        {{"NEW_RELIC_API_KEY", "k"},
         {"NEW_RELIC_ACCOUNT_ID", "1"},
         {"NEW_RELIC_TRACE_LOOKBACK_HOURS", "72"},
         {"NEW_RELIC_QUERY_TIMEOUT_SECONDS", "90"},
         {"NEW_RELIC_REQUERY_DELAY_SECONDS", "0"},
         {"NEW_RELIC_REQUERIES", "0"},
         {"NEW_RELIC_QUERY_BUDGET_SECONDS", "20"}}
    ));
    REQUIRE(cfg.ok());
    const auto& c = **cfg;
    CHECK(c.budget == std::chrono::seconds(20));
    CHECK(c.lookback.count() == 72);
    CHECK(c.query_timeout_s == 90);
    CHECK(c.requery_delay.count() == 0);
    CHECK(c.requeries == 0);
}

}  // namespace newrelic_config_test
