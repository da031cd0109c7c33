// Jira settings from the environment (JIRA_*). Pure: the caller supplies the lookup, which also
// resolves NAME_FILE secrets. No JIRA_URL → nullopt → no ticket tracker.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "log/secret_forms.hpp"
#include "nra/result.hpp"

namespace nra::jira {

// Cloud speaks REST v3 (ADF bodies, Basic email:token); Data Center speaks v2 (wiki-markup
// strings, Bearer personal access token).
enum class JiraFlavor { cloud, datacenter };

struct JiraConfig {
    std::string url;  // base, no trailing slash, e.g. "https://acme.atlassian.net"
    JiraFlavor flavor = JiraFlavor::cloud;
    std::string email;      // Cloud only; treated as a secret: never logged
    std::string api_token;  // Cloud API token or DC PAT: never logged, never in messages
    std::string project;    // project key, e.g. "OPS"
    std::string issue_type = "Task";

    std::chrono::milliseconds request_timeout{15'000};  // one HTTP attempt
    std::chrono::milliseconds budget{60'000};           // all requests of one file() call
    std::chrono::milliseconds retry_base_delay{500};    // first backoff step (tests shorten it)
    // After a create whose answer was lost (timeout, dropped connection, 5xx), search this many
    // times, `confirm_delay` apart (doubling), before trying the create again.
    int confirm_searches = 2;
    std::chrono::milliseconds confirm_delay{2'000};
    int create_attempts = 3;
    std::size_t cache_capacity = 10'000;   // fingerprint → ticket entries kept
    std::chrono::hours cache_ttl{24 * 7};  // …for this long
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads JIRA_URL, JIRA_FLAVOR (cloud|datacenter; default cloud when JIRA_EMAIL is set,
// datacenter otherwise), JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT, JIRA_ISSUE_TYPE (default
// Task). Errors name the variable and never echo a secret.
Result<std::optional<JiraConfig>> config_from_env(const EnvLookup& env);

// "Basic base64(email:token)" for Cloud, "Bearer <PAT>" for Data Center.
std::string authorization_header(const JiraConfig& config);

// "/rest/api/3" (Cloud) or "/rest/api/2" (Data Center).
std::string_view api_path(JiraFlavor flavor);

// <JIRA_URL>/browse/KEY
std::string browse_url(const JiraConfig& config, std::string_view key);

// RFC 4648 base64 with padding (log/secret_forms.hpp: redaction needs it too).
using log::base64_encode;

}  // namespace nra::jira
