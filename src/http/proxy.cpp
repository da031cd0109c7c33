// Proxy URLs are http://[user:password@]host[:port]. A URL without a scheme is taken as http://
// and a missing port defaults to 80, the http:// port (curl would use 1080). NO_PROXY takes
// curl's forms except CIDR ranges.
#include "http/proxy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cstdlib>

#include "http/text.hpp"
#include "log/secret_forms.hpp"

namespace nra::http {

namespace {

using detail::to_lower;
using detail::trim;

std::string_view strip_brackets(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        return host.substr(1, host.size() - 2);
    }
    return host;
}

// Lower-case wins when both are set, like curl.
std::string env_either(const char* lower_name, const char* upper_name) {
    for (const char* name : {lower_name, upper_name}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') return value;
    }
    return {};
}

bool is_ip_literal(std::string_view host) {
    if (host.find(':') != std::string_view::npos) return true;  // IPv6
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return c == '.' || (c >= '0' && c <= '9');
    });
}

struct NoProxyEntry {
    std::string host;  // lower-case, no brackets, no leading "*." or "."
    std::string port;  // empty: any port
};

NoProxyEntry parse_entry(std::string_view entry) {
    NoProxyEntry out;
    if (!entry.empty() && entry.front() == '[') {
        const auto close = entry.find(']');
        if (close != std::string_view::npos) {
            out.host = to_lower(entry.substr(1, close - 1));
            const auto rest = entry.substr(close + 1);
            if (rest.size() > 1 && rest.front() == ':') out.port = std::string(rest.substr(1));
            return out;
        }
    }
    // A single colon separates a port; several mean a bare IPv6 address.
    const auto colon = entry.find(':');
    if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
        out.port = std::string(entry.substr(colon + 1));
        entry = entry.substr(0, colon);
    }
    if (entry.substr(0, 2) == "*.") entry.remove_prefix(1);
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    out.host = to_lower(entry);
    return out;
}

bool entry_matches(const NoProxyEntry& entry, const std::string& host, std::string_view port) {
    if (entry.host.empty()) return false;
    if (!entry.port.empty() && entry.port != port) return false;
    if (host == entry.host) return true;
    if (is_ip_literal(host)) return false;  // addresses only match exactly
    return host.size() > entry.host.size() && host.ends_with(entry.host) &&
           host[host.size() - entry.host.size() - 1] == '.';
}

bool bypassed(std::string_view no_proxy, std::string_view host, std::string_view port) {
    const std::string wanted = to_lower(strip_brackets(host));
    while (!no_proxy.empty()) {
        const auto comma = no_proxy.find(',');
        const auto item = trim(no_proxy.substr(0, comma));
        no_proxy =
            comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
        if (item == "*") return true;
        if (entry_matches(parse_entry(item), wanted, port)) return true;
    }
    return false;
}

// Only http:// proxies (CONNECT over plain TCP, as curl does by default): an https:// or socks
// proxy would otherwise get a plain CONNECT with credentials in clear. Anything unparseable or
// with a path is refused (problem() reports it) rather than silently bypassed.
std::optional<ProxyTarget> parse_proxy_url(std::string_view raw) {
    std::string text(trim(raw));
    if (text.find("://") == std::string::npos) text = "http://" + text;
    const auto parsed = boost::urls::parse_uri(text);
    if (!parsed || to_lower(parsed->scheme()) != "http" || parsed->host_address().empty()) {
        return std::nullopt;
    }
    if (!(parsed->path().empty() || parsed->path() == "/") || parsed->has_query() ||
        parsed->has_fragment()) {
        return std::nullopt;  // e.g. "user:p@ss@proxy": the second '@' ends up in the path
    }
    ProxyTarget target;
    target.host = parsed->host_address();
    target.port = parsed->has_port() && !parsed->port().empty() ? std::string(parsed->port())
                                                                : std::string("80");
    if (parsed->has_userinfo()) {
        target.authorization =
            "Basic " + log::base64_encode(parsed->user() + ":" + parsed->password());
    }
    return target;
}

}  // namespace

ProxyConfig ProxyConfig::from_env() {
    ProxyConfig config;
    config.https_proxy = env_either("https_proxy", "HTTPS_PROXY");
    config.http_proxy = env_either("http_proxy", "HTTP_PROXY");
    config.no_proxy = env_either("no_proxy", "NO_PROXY");
    return config;
}

std::optional<ProxyTarget> ProxyConfig::select(
    std::string_view scheme, std::string_view host, std::string_view port
) const {
    const std::string scheme_lower = to_lower(scheme);
    const std::string* proxy = nullptr;
    if (scheme_lower == "https") {
        proxy = &https_proxy;
    } else if (scheme_lower == "http") {
        proxy = &http_proxy;
    }
    if (proxy == nullptr || trim(*proxy).empty()) return std::nullopt;
    if (bypassed(no_proxy, host, port)) return std::nullopt;
    return parse_proxy_url(*proxy);
}

std::string ProxyConfig::problem() const {
    for (const auto& [name, value] :
         {std::pair{"HTTPS_PROXY", &https_proxy}, std::pair{"HTTP_PROXY", &http_proxy}}) {
        if (!trim(*value).empty() && !parse_proxy_url(*value)) {
            return fmt::format(
                "{} must be http://[user:password@]host[:port] (user and password "
                "percent-encoded)",
                name
            );
        }
    }
    return {};
}

}  // namespace nra::http
