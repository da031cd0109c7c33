#include "redis/redis_url.hpp"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

namespace nra::redis {

namespace {

constexpr std::string_view kShape = "expected redis://[:password@]host[:port][/db]";

Error bad(std::string_view why) {
    return make_error(fmt::format("REDIS_URL: {} ({})", why, kShape));
}

template <class Int>
bool parse_number(std::string_view text, Int& out) {
    if (text.empty()) return false;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && ptr == end;
}

// The path is "" or "/" (db 0) or "/<db>".
bool parse_db(std::string_view path, int& db) {
    if (path.empty() || path == "/") return true;
    if (path.front() != '/') return false;
    return parse_number(path.substr(1), db) && db >= 0;
}

}  // namespace

std::string RedisEndpoint::redacted() const {
    const bool v6 = host.find(':') != std::string::npos;
    const std::string shown = v6 ? "[" + host + "]" : host;
    const bool secret = !password.empty() || !username.empty();
    return fmt::format("redis://{}{}:{}/{}", secret ? "***@" : "", shown, port, db);
}

Result<RedisEndpoint> parse_redis_url(std::string_view url) {
    if (url.starts_with("rediss://")) {
        return make_error("REDIS_URL: TLS to Redis (rediss://) is not supported yet");
    }
    if (url.starts_with("unix://") || url.starts_with("redis+unix://")) {
        return make_error("REDIS_URL: unix sockets are not supported; use redis://host:port");
    }
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return bad("not a valid URL; percent-encode special characters in the password");
    if (parsed->scheme() != "redis") return bad("the scheme must be redis://");
    if (parsed->has_query() || parsed->has_fragment()) return bad("no query or fragment allowed");
    RedisEndpoint out;
    out.host = parsed->host_address();
    if (out.host.empty()) return bad("the host is missing");
    if (parsed->has_port()) {
        unsigned port = 0;
        if (!parse_number(std::string_view(parsed->port()), port) || port == 0 || port > 65535) {
            return bad("the port must be a number from 1 to 65535");
        }
        out.port = static_cast<std::uint16_t>(port);
    }
    if (!parse_db(parsed->encoded_path(), out.db)) return bad("the path must be a database number");
    if (parsed->has_userinfo()) {
        out.username = parsed->user();
        out.password = parsed->password();
        if (out.password.empty() && !out.username.empty()) {
            // redis://secret@host: most clients read a lone user part as the password.
            out.password = std::move(out.username);
            out.username.clear();
        }
    }
    return out;
}

}  // namespace nra::redis
