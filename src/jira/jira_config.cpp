#include "jira/jira_config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "http/text.hpp"
#include "nra/span.hpp"

namespace nra::jira {
namespace {

using http::detail::trim;

// The trimmed value, or empty when unset.
std::string setting(const EnvLookup& env, std::string_view name) {
    auto raw = env(name);
    return raw ? std::string(trim(*raw)) : std::string{};
}

bool valid_project_key(std::string_view key) {
    if (key.empty() || key.size() > 255) return false;
    const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (!letter(key.front())) return false;
    return std::all_of(key.begin(), key.end(), [&](char c) {
        return letter(c) || (c >= '0' && c <= '9') || c == '_';
    });
}

Result<std::string> base_url(const EnvLookup& env) {
    auto url = setting(env, "JIRA_URL");
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
        return make_error("JIRA_URL must start with https:// or http://");
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.find_first_of(" \t\r\n?#") != std::string::npos) {
        return make_error("JIRA_URL must be the site's base URL, e.g. https://acme.atlassian.net");
    }
    return url;
}

Result<JiraFlavor> flavor(const EnvLookup& env, bool has_email) {
    const auto name = ascii_lower(setting(env, "JIRA_FLAVOR"));
    if (name.empty()) return has_email ? JiraFlavor::cloud : JiraFlavor::datacenter;
    if (name == "cloud") return JiraFlavor::cloud;
    if (name == "datacenter" || name == "data-center" || name == "dc" || name == "server") {
        return JiraFlavor::datacenter;
    }
    return make_error("JIRA_FLAVOR must be cloud or datacenter");
}

}  // namespace

Result<std::optional<JiraConfig>> config_from_env(const EnvLookup& env) {
    if (setting(env, "JIRA_URL").empty()) return std::optional<JiraConfig>{};
    JiraConfig cfg;
    auto url = base_url(env);
    if (!url) return make_error(url.error());
    cfg.url = std::move(url).value();
    cfg.email = setting(env, "JIRA_EMAIL");
    auto kind = flavor(env, !cfg.email.empty());
    if (!kind) return make_error(kind.error());
    cfg.flavor = *kind;
    cfg.api_token = setting(env, "JIRA_API_TOKEN");
    if (cfg.flavor == JiraFlavor::cloud) {
        if (cfg.email.empty() || cfg.api_token.empty()) {
            return make_error("Jira Cloud needs JIRA_EMAIL and JIRA_API_TOKEN");
        }
    } else if (cfg.api_token.empty()) {
        return make_error("Jira Data Center needs JIRA_API_TOKEN (a personal access token)");
    }
    cfg.project = setting(env, "JIRA_PROJECT");
    if (!valid_project_key(cfg.project)) {
        return make_error("JIRA_PROJECT must be a project key such as OPS");
    }
    if (auto type = setting(env, "JIRA_ISSUE_TYPE"); !type.empty()) cfg.issue_type = type;
    return std::optional<JiraConfig>(std::move(cfg));
}

std::string authorization_header(const JiraConfig& config) {
    if (config.flavor == JiraFlavor::datacenter) return "Bearer " + config.api_token;
    return "Basic " + base64_encode(config.email + ":" + config.api_token);
}

std::string_view api_path(JiraFlavor flavor) {
    return flavor == JiraFlavor::cloud ? "/rest/api/3" : "/rest/api/2";
}

std::string browse_url(const JiraConfig& config, std::string_view key) {
    return fmt::format("{}/browse/{}", config.url, key);
}

}  // namespace nra::jira
