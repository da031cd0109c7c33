// Proxy selection from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), as curl reads them.
// Pure: no sockets here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nra::http {

struct ProxyTarget {
    std::string host;
    std::string port;
    std::string authorization;  // "Basic …" when the proxy URL carried user:password, else empty
};

struct ProxyConfig {
    std::string https_proxy;  // e.g. http://proxy.corp:3128 (used for https:// URLs)
    std::string http_proxy;   // used for http:// URLs
    std::string no_proxy;     // comma list: "*", host, .domain, domain (matches subdomains), IP

    static ProxyConfig from_env();

    // Empty when usable; otherwise why a configured proxy URL cannot be used (no secrets).
    std::string problem() const;

    // The proxy to use for this URL's scheme/host/port, or nullopt for a direct connection.
    std::optional<ProxyTarget> select(
        std::string_view scheme, std::string_view host, std::string_view port
    ) const;
};

}  // namespace nra::http
