// JIRA_* settings: which flavour, which credentials, what is refused, and the auth header.
#include "jira/jira_config.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "support/env_map.hpp"
#include "support/fake_jira_backend.hpp"

namespace jira_config_test {

using namespace nra::jira;

namespace {

const std::string kToken = "ATATT3xFfGF0-fake-jira-token-0123456789";

EnvLookup env_of(std::map<std::string, std::string> values) {
    return nra::test::env_map(std::move(values));
}

}  // namespace

TEST_CASE("no JIRA_URL: no ticket tracker") {
    auto r = config_from_env(env_of({{"JIRA_API_TOKEN", kToken}}));
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
}

TEST_CASE("Cloud when JIRA_EMAIL is set: Basic email:token") {
    auto r = config_from_env(env_of({
        {"JIRA_URL", " https://acme.atlassian.net/ "},
        {"JIRA_EMAIL", "bot@example.com"},
        {"JIRA_API_TOKEN", kToken},
        {"JIRA_PROJECT", "OPS"},
    }));
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    const auto& cfg = **r;
    CHECK(cfg.flavor == JiraFlavor::cloud);
    CHECK(cfg.url == "https://acme.atlassian.net");
    CHECK(cfg.issue_type == "Task");
    // The expected header was computed outside C++ (Python's base64).
    CHECK(authorization_header(cfg) == nra::test::JiraBackend::kBasic);
    CHECK(api_path(cfg.flavor) == "/rest/api/3");
    CHECK(browse_url(cfg, "OPS-7") == "https://acme.atlassian.net/browse/OPS-7");
}

TEST_CASE("Data Center when JIRA_EMAIL is absent: Bearer PAT") {
    auto r = config_from_env(env_of({
        {"JIRA_URL", "https://jira.corp.example"},
        {"JIRA_API_TOKEN", "pat-123"},
        {"JIRA_PROJECT", "PLAT"},
        {"JIRA_ISSUE_TYPE", "Bug"},
    }));
    REQUIRE(r.ok());
    const auto& cfg = **r;
    CHECK(cfg.flavor == JiraFlavor::datacenter);
    CHECK(cfg.issue_type == "Bug");
    CHECK(authorization_header(cfg) == "Bearer pat-123");
    CHECK(api_path(cfg.flavor) == "/rest/api/2");
}

TEST_CASE("JIRA_FLAVOR overrides the default") {
    auto dc = config_from_env(env_of({
        {"JIRA_URL", "https://jira.corp.example"},
        {"JIRA_FLAVOR", "DataCenter"},
        {"JIRA_EMAIL", "someone@example.com"},
        {"JIRA_API_TOKEN", "pat"},
        {"JIRA_PROJECT", "OPS"},
    }));
    REQUIRE(dc.ok());
    CHECK((*dc)->flavor == JiraFlavor::datacenter);
    auto cloud = config_from_env(env_of({
        {"JIRA_URL", "https://acme.atlassian.net"},
        {"JIRA_FLAVOR", "cloud"},
        {"JIRA_API_TOKEN", kToken},
        {"JIRA_PROJECT", "OPS"},
    }));
    REQUIRE_FALSE(cloud.ok());
    CHECK(cloud.error().find("JIRA_EMAIL") != std::string::npos);
    CHECK(cloud.error().find(kToken) == std::string::npos);
}

TEST_CASE("bad settings are refused with the variable's name") {
    std::map<std::string, std::string> env{
        {"JIRA_URL", "https://acme.atlassian.net"},
        {"JIRA_EMAIL", "bot@example.com"},
        {"JIRA_API_TOKEN", kToken},
        {"JIRA_PROJECT", "OPS"},
    };
    std::string variable;
    SECTION("URL") {
        env["JIRA_URL"] = "acme.atlassian.net";
        variable = "JIRA_URL";
    }
    SECTION("URL with a query") {
        env["JIRA_URL"] = "https://acme.atlassian.net/?x=1";
        variable = "JIRA_URL";
    }
    SECTION("flavour") {
        env["JIRA_FLAVOR"] = "onprem";
        variable = "JIRA_FLAVOR";
    }
    SECTION("missing project") {
        env.erase("JIRA_PROJECT");
        variable = "JIRA_PROJECT";
    }
    SECTION("project with a quote") {
        env["JIRA_PROJECT"] = "OPS\" OR project = \"X";
        variable = "JIRA_PROJECT";
    }
    SECTION("missing token") {
        env.erase("JIRA_API_TOKEN");
        variable = "JIRA_API_TOKEN";
    }
    auto r = config_from_env(env_of(env));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find(variable) != std::string::npos);
    CHECK(r.error().find(kToken) == std::string::npos);
}

TEST_CASE("base64 follows RFC 4648's test vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_encode("\xff\xfe") == "//4=");
}

}  // namespace jira_config_test
