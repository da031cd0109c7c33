// ProxyConfig: which variables are read and how NO_PROXY and proxy URLs are interpreted.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>

#include "http/proxy.hpp"

namespace http_proxy_test {

using nra::http::ProxyConfig;

namespace {

// Sets (or unsets, for nullptr) an environment variable and restores it on scope exit.
class EnvGuard {
public:
    EnvGuard(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~EnvGuard() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }
    EnvGuard(const EnvGuard&) = delete;
    EnvGuard& operator=(const EnvGuard&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

ProxyConfig https_via(std::string no_proxy) {
    ProxyConfig config;
    config.https_proxy = "http://proxy.corp:3128";
    config.no_proxy = std::move(no_proxy);
    return config;
}

bool proxied(const ProxyConfig& config, const char* host, const char* port = "443") {
    return config.select("https", host, port).has_value();
}

}  // namespace

TEST_CASE("from_env reads both cases and lower-case wins", "[proxy]") {
    const EnvGuard a("HTTPS_PROXY", "http://upper:1");
    const EnvGuard b("https_proxy", "http://lower:2");
    const EnvGuard c("HTTP_PROXY", "http://plain-upper:3");
    const EnvGuard d("http_proxy", nullptr);
    const EnvGuard e("NO_PROXY", "upper.example");
    const EnvGuard f("no_proxy", "lower.example");
    const auto config = ProxyConfig::from_env();
    CHECK(config.https_proxy == "http://lower:2");
    CHECK(config.http_proxy == "http://plain-upper:3");
    CHECK(config.no_proxy == "lower.example");
}

TEST_CASE("from_env with nothing set means direct connections", "[proxy]") {
    const EnvGuard a("HTTPS_PROXY", nullptr);
    const EnvGuard b("https_proxy", nullptr);
    const EnvGuard c("HTTP_PROXY", nullptr);
    const EnvGuard d("http_proxy", nullptr);
    const EnvGuard e("NO_PROXY", nullptr);
    const EnvGuard f("no_proxy", nullptr);
    const auto config = ProxyConfig::from_env();
    CHECK_FALSE(config.select("https", "api.newrelic.com", "443").has_value());
    CHECK_FALSE(config.select("http", "api.newrelic.com", "80").has_value());
}

TEST_CASE("the URL scheme picks the proxy variable", "[proxy]") {
    ProxyConfig config;
    config.https_proxy = "http://secure-proxy:3128";
    config.http_proxy = "http://plain-proxy:8080";
    const auto secure = config.select("https", "api.example", "443");
    REQUIRE(secure);
    CHECK(secure->host == "secure-proxy");
    CHECK(secure->port == "3128");
    CHECK(secure->authorization.empty());
    const auto plain = config.select("HTTP", "api.example", "80");
    REQUIRE(plain);
    CHECK(plain->host == "plain-proxy");
    CHECK(plain->port == "8080");
    CHECK_FALSE(config.select("ftp", "api.example", "21").has_value());
    config.http_proxy.clear();
    CHECK_FALSE(config.select("http", "api.example", "80").has_value());
}

TEST_CASE("proxy URLs: missing scheme, default port 80, IPv6, garbage", "[proxy]") {
    ProxyConfig config;
    config.https_proxy = "proxy.corp:3128";
    auto target = config.select("https", "x.example", "443");
    REQUIRE(target);
    CHECK(target->host == "proxy.corp");
    CHECK(target->port == "3128");
    config.https_proxy = "http://proxy.corp";
    target = config.select("https", "x.example", "443");
    REQUIRE(target);
    CHECK(target->port == "80");
    config.https_proxy = "http://[::1]:3128/";
    target = config.select("https", "x.example", "443");
    REQUIRE(target);
    CHECK(target->host == "::1");
    config.https_proxy = "http://bad host:3128";
    CHECK_FALSE(config.select("https", "x.example", "443").has_value());
}

TEST_CASE("user:password in the proxy URL becomes Basic, percent-decoded", "[proxy]") {
    ProxyConfig config;
    config.https_proxy = "http://user:pass@proxy:8080";
    auto target = config.select("https", "x.example", "443");
    REQUIRE(target);
    CHECK(target->host == "proxy");
    CHECK(target->authorization == "Basic dXNlcjpwYXNz");
    config.https_proxy = "http://user:pa%3Ass@proxy:8080";
    CHECK(config.select("https", "x.example", "443")->authorization == "Basic dXNlcjpwYTpzcw==");
    config.https_proxy = "http://j%40ne:p%20w@proxy:8080";
    CHECK(config.select("https", "x.example", "443")->authorization == "Basic akBuZTpwIHc=");
}

TEST_CASE("NO_PROXY '*' disables the proxy for every host", "[proxy]") {
    CHECK_FALSE(proxied(https_via("*"), "api.newrelic.com"));
    CHECK_FALSE(proxied(https_via("a.example, *"), "10.1.2.3"));
    CHECK(proxied(https_via("*.example"), "api.newrelic.com"));  // only a lone * is a wildcard
}

TEST_CASE("NO_PROXY domains match themselves and subdomains", "[proxy]") {
    for (const char* entry : {"corp.com", ".corp.com", "*.corp.com"}) {
        INFO(entry);
        const auto config = https_via(entry);
        CHECK_FALSE(proxied(config, "corp.com"));
        CHECK_FALSE(proxied(config, "a.corp.com"));
        CHECK_FALSE(proxied(config, "b.a.corp.com"));
        CHECK(proxied(config, "notcorp.com"));
        CHECK(proxied(config, "corp.com.evil.net"));
        CHECK(proxied(config, "com"));
    }
}

TEST_CASE("NO_PROXY is case-insensitive and tolerates spaces and empty entries", "[proxy]") {
    const auto config = https_via(" ,, Internal.CORP.com ,  other.net ,");
    CHECK_FALSE(proxied(config, "API.internal.corp.COM"));
    CHECK_FALSE(proxied(config, "other.net"));
    CHECK(proxied(config, "corp.com"));
}

TEST_CASE("NO_PROXY entries with a port only match that port", "[proxy]") {
    const auto config = https_via("corp.com:8443,[::1]:9000");
    CHECK_FALSE(proxied(config, "a.corp.com", "8443"));
    CHECK(proxied(config, "a.corp.com", "443"));
    CHECK_FALSE(proxied(config, "::1", "9000"));
    CHECK_FALSE(proxied(config, "[::1]", "9000"));
    CHECK(proxied(config, "::1", "443"));
}

TEST_CASE("NO_PROXY IP addresses match exactly", "[proxy]") {
    const auto config = https_via("127.0.0.1,0.0.1,::1");
    CHECK_FALSE(proxied(config, "127.0.0.1"));
    CHECK_FALSE(proxied(config, "::1"));
    CHECK(proxied(config, "10.0.0.1"));  // no suffix matching for addresses
    CHECK(proxied(config, "127.0.0.2"));
    CHECK(proxied(config, "localhost"));
}

TEST_CASE("proxy URLs that cannot be used safely are refused, not bypassed (review finding)") {
    for (const char* bad :
         {"https://proxy.corp:3128",
          "socks5://p:1080",
          "proxy corp:3128",
          "http://user:p@ss@proxy:3128",
          "http://proxy:3128/path"}) {
        INFO(bad);
        nra::http::ProxyConfig config;
        config.https_proxy = bad;
        CHECK_FALSE(config.problem().empty());
        CHECK_FALSE(config.select("https", "api.newrelic.com", "443"));
    }
    nra::http::ProxyConfig good;
    good.https_proxy = "http://user:p%40ss@proxy.corp:3128";
    CHECK(good.problem().empty());
    const auto target = good.select("https", "api.newrelic.com", "443");
    REQUIRE(target);
    CHECK(target->host == "proxy.corp");
    CHECK(target->port == "3128");
    CHECK(nra::http::ProxyConfig{}.problem().empty());
}

}  // namespace http_proxy_test
