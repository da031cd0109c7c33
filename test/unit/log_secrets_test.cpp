// Known secrets are redacted in every encoding we send them in or an upstream may echo them in:
// raw, percent-encoded, JSON-escaped, base64 (Basic auth's "email:token" too) and base64
// percent-encoded, for each secret of the configuration.
#include "app/log_secrets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jira/jira_response.hpp"
#include "log/log.hpp"
#include "log/secret_forms.hpp"
#include "support/log_capture.hpp"

namespace log_secrets_test {

using nra::log::base64_encode;
using nra::log::Level;
using nra::log::secret_forms;

namespace {

std::string percent(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                           std::string_view("-._~").find(c) != std::string_view::npos;
        out += plain ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
    return out;
}

// Each encoding of `secret` in a line of its own, as an upstream echo or a careless caller would
// log it.
std::vector<std::string> echoes(const std::string& secret) {
    const std::string b64 = base64_encode(secret);
    return {
        "raw " + secret + " end",
        "url q=" + percent(secret) + "&next=1",
        "json {\"token\":\"" + secret + "\"}",
        "base64 " + b64 + " end",
        "base64 unpadded x" + b64.substr(0, b64.find('=')) + ".",
        "base64 in a form authorization=Basic+" + percent(b64),
        "inside a longer base64 " + base64_encode("someone@example.com:" + secret),
        "shifted by one " + base64_encode("x" + secret + "yz"),
        "shifted by two " + base64_encode("xy" + secret + "z"),
    };
}

void check_scrubbed(const std::string& secret, const std::vector<std::string>& lines) {
    REQUIRE(lines.size() == echoes(secret).size());
    for (const auto& line : lines) {
        INFO(line);
        CHECK(line.find("[redacted]") != std::string::npos);
        for (const auto& form : secret_forms(secret)) {
            if (form.size() >= 8) CHECK(line.find(form) == std::string::npos);
        }
    }
}

}  // namespace

TEST_CASE("the forms of a secret: raw, percent, JSON, base64 at each alignment") {
    const auto forms = secret_forms("p@ss w/rd\"1");
    const auto has = [&forms](const std::string& f) {
        return std::find(forms.begin(), forms.end(), f) != forms.end();
    };
    CHECK(has("p@ss w/rd\"1"));
    CHECK(has("p%40ss%20w%2Frd%221"));
    CHECK(has("p%40ss+w%2frd%221"));
    CHECK(has("p@ss w/rd\\\"1"));
    CHECK(has(base64_encode("p@ss w/rd\"1")));
    CHECK(forms.front().size() >= forms.back().size());  // longest first
    CHECK(secret_forms("short").empty());                // would redact ordinary words
}

TEST_CASE("a registered secret is redacted in every encoding before any line is written") {
    nra::test::LogCapture capture(Level::info);
    const std::string secret = "Zk3!redis pass/word";
    nra::log::add_secret(secret);
    for (const auto& line : echoes(secret)) nra::log::warn("{}", line);
    check_scrubbed(secret, capture.lines());
}

TEST_CASE("the configuration's secrets are registered: Slack, New Relic, Jira, Redis") {
    const std::map<std::string, std::string> env{
        {"SLACK_BOT_TOKEN", "xoxb-11-22-AbCdEfGhIjKlMnOp"},
        {"SLACK_APP_TOKEN", "xapp-1-A1-33-0123456789abcdef"},
        {"SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5"},
        {"NEW_RELIC_API_KEY", "NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ1"},
        {"JIRA_EMAIL", "bot@acme.example"},
        {"JIRA_API_TOKEN", "ATATT3xFfGF0-secret-jira-token"},
        {"REDIS_URL", "redis://:hunter2-redis-pw@cache:6379/0"},
    };
    nra::register_log_secrets([&env](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(std::string(name));
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
    nra::test::LogCapture capture(Level::info);
    const std::vector<std::string> secrets{
        env.at("SLACK_BOT_TOKEN"),
        env.at("SLACK_APP_TOKEN"),
        env.at("SLACK_SIGNING_SECRET"),
        env.at("NEW_RELIC_API_KEY"),
        env.at("JIRA_API_TOKEN"),
        "hunter2-redis-pw",
        "bot@acme.example:ATATT3xFfGF0-secret-jira-token"};
    for (const auto& secret : secrets) {
        INFO(secret);
        const auto before = capture.lines().size();
        for (const auto& line : echoes(secret)) nra::log::warn("{}", line);
        const auto lines = capture.lines();
        check_scrubbed(secret, std::vector<std::string>(lines.begin() + before, lines.end()));
    }
    // Basic auth's header as Jira receives it, even percent-encoded.
    const auto basic = base64_encode(secrets.back());
    nra::log::warn("echo Authorization: Basic%20{}", percent(basic));
    CHECK(capture.lines().back() == "echo Authorization: Basic%20[redacted]");
}

TEST_CASE("Jira's redaction covers Basic auth's pair in every encoding") {
    nra::jira::JiraConfig config;
    config.email = "bot@acme.example";
    config.api_token = "jira-token-0123456789";
    const auto pair = base64_encode(config.email + ":" + config.api_token);
    for (const auto& text :
         {"Authorization: Basic " + pair, "auth=Basic+" + percent(pair), percent(config.email)}) {
        INFO(text);
        const auto said = nra::jira::redact(text, config);
        CHECK(said.find("[redacted]") != std::string::npos);
        CHECK(said.find(pair.substr(0, 12)) == std::string::npos);
        CHECK(said.find("acme") == std::string::npos);
    }
}

}  // namespace log_secrets_test
