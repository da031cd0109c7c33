// StateStore on Redis over one RedisConnection: what several replicas share. The try_* calls say
// what went wrong as a value (FallbackStateStore uses them); the StateStore calls throw
// RedisUnavailable on trouble, so use this store alone only where a failure may fail the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "nra/ports/state_store.hpp"
#include "redis/redis_connection.hpp"

namespace nra::redis {

enum class Trouble {
    none,
    unavailable,  // no answer, or Redis cannot serve now (LOADING, READONLY, NOAUTH, ...)
    rejected,     // Redis answered with an error about this call (WRONGTYPE, not an integer)
};

// One call's outcome: a value, or the trouble and a one-line detail (never a password).
template <class T>
struct Attempt {
    std::optional<T> value;
    Trouble trouble = Trouble::none;
    std::string detail;

    bool ok() const { return trouble == Trouble::none; }
};

struct Done {};  // put/remove succeeded

class RedisUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class RedisStateStore final : public StateStore {
public:
    explicit RedisStateStore(RedisConnection& connection, std::string prefix = "nra:");

    boost::asio::awaitable<Attempt<bool>> try_claim(
        std::string key, std::string value, std::chrono::milliseconds ttl
    );
    boost::asio::awaitable<Attempt<std::optional<std::string>>> try_get(std::string key);
    boost::asio::awaitable<Attempt<Done>> try_put(
        std::string key, std::string value, std::chrono::milliseconds ttl
    );
    boost::asio::awaitable<Attempt<std::int64_t>> try_increment(
        std::string key, std::chrono::milliseconds window
    );
    boost::asio::awaitable<Attempt<Done>> try_remove(std::string key);

    boost::asio::awaitable<bool> claim(
        std::string key, std::string value, std::chrono::milliseconds ttl
    ) override;
    boost::asio::awaitable<std::optional<std::string>> get(std::string key) override;
    boost::asio::awaitable<void> put(
        std::string key, std::string value, std::chrono::milliseconds ttl
    ) override;
    boost::asio::awaitable<std::int64_t> increment(
        std::string key, std::chrono::milliseconds window
    ) override;
    boost::asio::awaitable<void> remove(std::string key) override;

    StoreHealth health() const override;  // what the last call found

    const RedisEndpoint& endpoint() const { return connection_.endpoint(); }

private:
    boost::asio::awaitable<RedisReply> run(std::vector<std::string> argv);

    RedisConnection& connection_;
    std::string prefix_;
    bool last_failed_ = false;
    std::string last_detail_;
};

// Error replies that mean "Redis cannot serve now" rather than "this call is wrong".
bool is_unavailable_error(const std::string& error_text);

}  // namespace nra::redis
