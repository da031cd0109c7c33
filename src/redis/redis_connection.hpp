// One TCP connection to Redis, driven by Asio coroutines: hiredis only formats commands and
// parses replies. Connects lazily (AUTH, SELECT), runs one command at a time in call order, and
// bounds every call by a deadline. Trouble is a value (RedisReply::Kind::failed), never a throw.
// Use it from one single-threaded executor (the I/O thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "redis/redis_url.hpp"

namespace nra::redis {

// Why there is no reply from Redis.
enum class Failure { none, connect, timeout, io, protocol, auth };

// A reply copied out of hiredis, or `failed` when none came (failure + detail say why).
struct RedisReply {
    enum class Kind { nil, integer, status, string, error, array, failed };
    Kind kind = Kind::nil;
    std::int64_t integer = 0;
    std::string text;  // status, string, error message, or the failure's detail (no password)
    std::vector<RedisReply> elements;
    Failure failure = Failure::none;

    bool failed() const { return kind == Kind::failed; }
    bool is_error() const { return kind == Kind::error; }
    static RedisReply failure_of(Failure why, std::string detail);
};

struct RedisOptions {
    std::chrono::milliseconds connect_timeout{1000};  // TCP connect + AUTH + SELECT
    std::chrono::milliseconds command_timeout{1000};  // write + reply, once connected
    std::size_t max_reply_bytes = std::size_t{64} << 20;
};

class RedisConnection {
public:
    RedisConnection(
        boost::asio::any_io_executor executor, RedisEndpoint endpoint, RedisOptions options = {}
    );
    ~RedisConnection();
    RedisConnection(const RedisConnection&) = delete;
    RedisConnection& operator=(const RedisConnection&) = delete;

    // Sends one command and returns its reply. A call takes at most connect_timeout +
    // command_timeout, waiting for earlier calls included. After a failure the socket is closed
    // (a late reply must not answer the next command) and the next call reconnects.
    boost::asio::awaitable<RedisReply> command(std::vector<std::string> argv);

    const RedisEndpoint& endpoint() const { return endpoint_; }
    bool connected() const;
    std::size_t connects() const { return connects_; }  // successful connections so far

private:
    struct Impl;
    RedisEndpoint endpoint_;
    RedisOptions options_;
    std::unique_ptr<Impl> impl_;
    std::size_t connects_ = 0;
};

// The RESP bytes for `argv` (hiredis's formatter), for tests and for the connection.
std::string format_command(const std::vector<std::string>& argv);

}  // namespace nra::redis
