#include "new_relic_links.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "nra/span.hpp"

namespace nra {
namespace {

// The host a browser would open for `url`, in lower case; empty unless the URL is http(s) with a
// plain domain name. The authority ends at the first '/', '?', '#' or backslash: browsers take a
// backslash for '/' in http(s) URLs (WHATWG), while RFC 3986 parsers reject it or read it as part
// of the userinfo, so an authority holding one is refused rather than guessed at. Boost.URL then
// parses what is left: scheme in any case, userinfo and port set aside, the host percent-decoded.
std::string host_of(std::string_view url) {
    const std::size_t scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    const std::size_t end = std::min(url.find_first_of("/?#\\", scheme + 3), url.size());
    if (end < url.size() && url[end] == '\\') return {};
    const auto parsed = boost::urls::parse_uri(url.substr(0, end));
    if (!parsed) return {};
    const auto kind = parsed->scheme_id();
    if (kind != boost::urls::scheme::https && kind != boost::urls::scheme::http) return {};
    if (parsed->host_type() != boost::urls::host_type::name) return {};
    std::string host = ascii_lower(parsed->host_name());
    const bool plain = std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
    return plain ? host : std::string();
}

bool is_new_relic_host(const std::string& host) {
    constexpr std::string_view kDomain = ".newrelic.com";
    return host.size() > kDomain.size() && host.ends_with(kDomain);
}

}  // namespace

bool is_new_relic_link(std::string_view url) {
    return is_new_relic_host(host_of(url));
}

std::string without_foreign_links(std::string_view text) {
    constexpr std::string_view kBreaks = " \t\r\n<>|";
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto end = std::min(text.find_first_of(kBreaks, i), text.size());
        const auto word = text.substr(i, end - i);
        if (word.find("://") == std::string_view::npos || is_new_relic_link(word)) out += word;
        if (end < text.size()) out += ' ';
        i = end + 1;
    }
    return out;
}

}  // namespace nra
