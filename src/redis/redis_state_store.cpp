#include "redis/redis_state_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace nra::redis {

namespace asio = boost::asio;

namespace {

// INCR, and PEXPIRE when this increment created the key (or the key somehow lost its expiry), in
// one atomic script. "SET k 0 NX PX w; INCR k" is two steps: when the key expires between them,
// INCR creates a key with no expiry, and that user stays rate-limited forever.
constexpr std::string_view kIncrementScript =
    "local n = redis.call('INCR', KEYS[1])\n"
    "local w = tonumber(ARGV[1])\n"
    "if w > 0 and (n == 1 or redis.call('PTTL', KEYS[1]) == -1) then\n"
    "  redis.call('PEXPIRE', KEYS[1], w)\n"
    "end\n"
    "return n\n";

template <class T>
Attempt<T> trouble_of(const RedisReply& reply) {
    Attempt<T> out;
    if (reply.failed()) {
        out.trouble = Trouble::unavailable;
        out.detail = reply.text;
    } else if (reply.is_error()) {
        out.trouble = is_unavailable_error(reply.text) ? Trouble::unavailable : Trouble::rejected;
        out.detail = reply.text;
    } else {
        out.trouble = Trouble::rejected;
        out.detail = "unexpected reply type";
    }
    return out;
}

template <class T>
Attempt<T> success(T value) {
    Attempt<T> out;
    out.value.emplace(std::move(value));
    return out;
}

template <class T>
T value_or_throw(Attempt<T> attempt) {
    if (!attempt.ok()) throw RedisUnavailable("Redis: " + attempt.detail);
    return std::move(*attempt.value);
}

}  // namespace

bool is_unavailable_error(const std::string& error_text) {
    constexpr std::array<std::string_view, 7> kCodes = {
        "LOADING",
        "READONLY",
        "MASTERDOWN",
        "NOAUTH",
        "WRONGPASS",
        "BUSY",
        "CLUSTERDOWN",
    };
    const std::string_view code = std::string_view(error_text).substr(0, error_text.find(' '));
    return std::any_of(kCodes.begin(), kCodes.end(), [code](std::string_view known) {
        return code == known;
    });
}

RedisStateStore::RedisStateStore(RedisConnection& connection, std::string prefix)
    : connection_(connection), prefix_(std::move(prefix)) {}

asio::awaitable<RedisReply> RedisStateStore::run(std::vector<std::string> argv) {
    auto reply = co_await connection_.command(std::move(argv));
    last_failed_ = reply.failed();
    last_detail_ = reply.failed() ? reply.text : std::string();
    co_return reply;
}

asio::awaitable<Attempt<bool>> RedisStateStore::try_claim(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    std::vector<std::string> argv = {"SET", prefix_ + key, std::move(value), "NX"};
    if (ttl.count() > 0) {
        argv.emplace_back("PX");
        argv.push_back(std::to_string(ttl.count()));
    }
    const auto reply = co_await run(std::move(argv));
    if (reply.kind == RedisReply::Kind::status) co_return success(true);  // OK
    if (reply.kind == RedisReply::Kind::nil) co_return success(false);    // it existed
    co_return trouble_of<bool>(reply);
}

asio::awaitable<Attempt<std::optional<std::string>>> RedisStateStore::try_get(std::string key) {
    std::vector<std::string> argv = {"GET", prefix_ + key};
    const auto reply = co_await run(std::move(argv));
    using Value = std::optional<std::string>;
    if (reply.kind == RedisReply::Kind::string) co_return success<Value>(reply.text);
    if (reply.kind == RedisReply::Kind::nil) co_return success<Value>(std::nullopt);
    co_return trouble_of<Value>(reply);
}

asio::awaitable<Attempt<Done>> RedisStateStore::try_put(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    std::vector<std::string> argv = {"SET", prefix_ + key, std::move(value)};
    if (ttl.count() > 0) {
        argv.emplace_back("PX");
        argv.push_back(std::to_string(ttl.count()));
    }
    const auto reply = co_await run(std::move(argv));
    if (reply.kind == RedisReply::Kind::status) co_return success(Done{});
    co_return trouble_of<Done>(reply);
}

asio::awaitable<Attempt<std::int64_t>> RedisStateStore::try_increment(
    std::string key, std::chrono::milliseconds window
) {
    std::vector<std::string> argv = {
        "EVAL", std::string(kIncrementScript), "1", prefix_ + key, std::to_string(window.count())};
    const auto reply = co_await run(std::move(argv));
    if (reply.kind == RedisReply::Kind::integer) co_return success(reply.integer);
    co_return trouble_of<std::int64_t>(reply);
}

asio::awaitable<Attempt<Done>> RedisStateStore::try_remove(std::string key) {
    std::vector<std::string> argv = {"DEL", prefix_ + key};
    const auto reply = co_await run(std::move(argv));
    if (reply.kind == RedisReply::Kind::integer) co_return success(Done{});
    co_return trouble_of<Done>(reply);
}

asio::awaitable<bool> RedisStateStore::claim(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    auto attempt = co_await try_claim(std::move(key), std::move(value), ttl);
    co_return value_or_throw(std::move(attempt));
}

asio::awaitable<std::optional<std::string>> RedisStateStore::get(std::string key) {
    auto attempt = co_await try_get(std::move(key));
    co_return value_or_throw(std::move(attempt));
}

asio::awaitable<void> RedisStateStore::put(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    auto attempt = co_await try_put(std::move(key), std::move(value), ttl);
    value_or_throw(std::move(attempt));
}

asio::awaitable<std::int64_t> RedisStateStore::increment(
    std::string key, std::chrono::milliseconds window
) {
    auto attempt = co_await try_increment(std::move(key), window);
    co_return value_or_throw(std::move(attempt));
}

asio::awaitable<void> RedisStateStore::remove(std::string key) {
    auto attempt = co_await try_remove(std::move(key));
    value_or_throw(std::move(attempt));
}

StoreHealth RedisStateStore::health() const {
    StoreHealth out;
    out.backend = "redis";
    out.shared = !last_failed_;
    out.degraded = false;
    out.detail = last_failed_
                     ? fmt::format("redis {} unreachable: {}", endpoint().redacted(), last_detail_)
                     : fmt::format("redis {}", endpoint().redacted());
    return out;
}

}  // namespace nra::redis
