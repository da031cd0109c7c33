// REDIS_URL → where and how to connect: redis://[[user]:password@]host[:port][/db]. rediss:// and
// unix sockets are refused with a clear message. Errors never repeat the URL (it may hold the
// password); logs use redacted().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nra/result.hpp"

namespace nra::redis {

struct RedisEndpoint {
    std::string host;  // name or IP literal, without IPv6 brackets
    std::uint16_t port = 6379;
    std::string username;  // Redis 6 ACL user; empty: AUTH <password> only
    std::string password;  // empty: no AUTH
    int db = 0;            // SELECT db after connecting when not 0

    // redis://***@host:port/db (the "***@" only when credentials are set): safe for logs.
    std::string redacted() const;
};

Result<RedisEndpoint> parse_redis_url(std::string_view url);

}  // namespace nra::redis
