// The URL settings of `serve`, checked before anything starts: a typo such as `http//host` stops
// the bot with one line that names the variable and shows the value without its password,
// instead of failing later on the first request (or never, for a feature not yet used).
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace nra {

using EnvRead = std::function<std::optional<std::string>(std::string_view)>;

// Nothing when `value` is an absolute URL with one of `schemes` (without "://"), a host and,
// if any, a port from 1 to 65535; else one line naming `name` and showing redacted_url(value).
std::optional<std::string> url_problem(
    std::string_view name, std::string_view value, std::initializer_list<std::string_view> schemes
);

// `value` for a log line: user and password (everything up to the last '@' after "//") as
// "***", even when it does not parse; control characters as '?'; at most 200 characters.
std::string redacted_url(std::string_view value);

// SLACK_API_URL, NEW_RELIC_GRAPHQL_URL, JIRA_URL (http or https) and REDIS_URL (redis://, as
// the Redis client reads it), each when set: the first problem, or nothing.
std::optional<std::string> url_settings_problem(const EnvRead& env);

}  // namespace nra
