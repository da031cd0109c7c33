#include "app/log_secrets.hpp"

#include <array>
#include <exception>

#include "http/text.hpp"
#include "log/log.hpp"
#include "redis/redis_url.hpp"

namespace nra {
namespace {

using EnvFn = std::function<std::optional<std::string>(std::string_view)>;

// The value trimmed as the configuration reads it; empty when unset or unreadable.
std::string secret_setting(const EnvFn& env, std::string_view name) {
    std::optional<std::string> value;
    try {
        value = env(name);
    } catch (const std::exception&) {
        return {};
    }
    return value ? std::string(http::detail::trim(*value)) : std::string();
}

void add_if_set(const std::string& secret) {
    if (!secret.empty()) log::add_secret(secret);
}

}  // namespace

void register_log_secrets(const EnvFn& env) {
    static constexpr std::array<std::string_view, 7> kSecrets = {
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "NEW_RELIC_API_KEY",
        "JIRA_API_TOKEN",
        "JIRA_EMAIL",
        "NR_ANALYZER_MCP_TOKEN"};
    for (const auto name : kSecrets) add_if_set(secret_setting(env, name));
    const auto email = secret_setting(env, "JIRA_EMAIL");
    const auto token = secret_setting(env, "JIRA_API_TOKEN");
    if (!email.empty() && !token.empty()) add_if_set(email + ":" + token);  // Basic auth's pair
    if (const auto url = secret_setting(env, "REDIS_URL"); !url.empty()) {
        if (auto endpoint = redis::parse_redis_url(url)) add_if_set(endpoint->password);
    }
}

}  // namespace nra
