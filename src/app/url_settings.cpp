#include "app/url_settings.hpp"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

#include "nra/span.hpp"
#include "redis/redis_url.hpp"

namespace nra {
namespace {

constexpr std::size_t kShownChars = 200;

std::string scheme_list(std::initializer_list<std::string_view> schemes) {
    std::string out;
    for (const auto scheme : schemes) {
        out += fmt::format("{}{}://", out.empty() ? "" : " or ", scheme);
    }
    return out;
}

bool valid_port(std::string_view port) {
    unsigned number = 0;
    const auto* end = port.data() + port.size();
    const auto [ptr, ec] = std::from_chars(port.data(), end, number);
    return ec == std::errc{} && ptr == end && number >= 1 && number <= 65535;
}

// Why `value` is not a URL of `schemes`; empty when it is one.
std::string why_not(std::string_view value, std::initializer_list<std::string_view> schemes) {
    const auto parsed = boost::urls::parse_uri(value);
    if (!parsed) {
        return fmt::format("is not a valid URL (expected {}, then a host)", scheme_list(schemes));
    }
    const std::string scheme = ascii_lower(std::string_view(parsed->scheme()));
    bool known = false;
    for (const auto allowed : schemes) known = known || scheme == allowed;
    if (!known) return "must start with " + scheme_list(schemes);
    if (!parsed->has_authority() || parsed->host_address().empty()) return "has no host";
    if (parsed->has_port() && !valid_port(std::string_view(parsed->port()))) {
        return "has a port that is not a number from 1 to 65535";
    }
    return {};
}

// Surrounding white space is not a typo (a YAML block scalar ends in a line feed).
std::string trimmed(const std::optional<std::string>& value) {
    if (!value) return {};
    const auto first = value->find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return value->substr(first, value->find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string redacted_url(std::string_view value) {
    std::string shown(value);
    if (const auto at = shown.rfind('@'); at != std::string::npos) {
        const auto slashes = shown.find("//");
        const auto from = slashes != std::string::npos && slashes < at ? slashes + 2 : 0;
        shown.replace(from, at - from, "***");
    }
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    }
    if (shown.size() > kShownChars) shown = shown.substr(0, kShownChars) + "…";
    return shown;
}

std::optional<std::string> url_problem(
    std::string_view name, std::string_view value, std::initializer_list<std::string_view> schemes
) {
    const auto why = why_not(value, schemes);
    if (why.empty()) return std::nullopt;
    return fmt::format("{} {}: \"{}\"", name, why, redacted_url(value));
}

std::optional<std::string> url_settings_problem(const EnvRead& env) {
    for (const char* name : {"SLACK_API_URL", "NEW_RELIC_GRAPHQL_URL", "JIRA_URL"}) {
        const auto value = trimmed(env(name));
        if (value.empty()) continue;
        if (auto problem = url_problem(name, value, {"https", "http"})) return problem;
    }
    const auto redis_url = trimmed(env("REDIS_URL"));
    if (redis_url.empty()) return std::nullopt;
    if (auto problem = url_problem("REDIS_URL", redis_url, {"redis", "rediss"})) return problem;
    const auto endpoint = redis::parse_redis_url(redis_url);
    if (endpoint) return std::nullopt;
    return fmt::format("{}: \"{}\"", endpoint.error(), redacted_url(redis_url));
}

}  // namespace nra
