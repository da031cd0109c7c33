// StateStore that prefers Redis and keeps the bot answering when Redis is down: on trouble it
// logs one warning, serves from local memory (degraded, not shared), retries Redis at most every
// retry_interval, and logs "Redis is back" when it answers again. Never throws for Redis trouble.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "nra/ports/state_store.hpp"
#include "redis/redis_state_store.hpp"
#include "state/memory_state_store.hpp"

namespace nra::state {

struct FallbackOptions {
    std::chrono::milliseconds retry_interval{5000};
    MemoryStateStore::Now now;  // empty: steady_clock (tests inject a fake clock)
};

class FallbackStateStore final : public StateStore {
public:
    FallbackStateStore(
        std::unique_ptr<redis::RedisStateStore> redis,
        std::unique_ptr<MemoryStateStore> local,
        FallbackOptions options = {}
    );

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

    StoreHealth health() const override;

private:
    using TimePoint = MemoryStateStore::Clock::time_point;

    bool use_redis();  // false while degraded and the next retry is not due
    // Records a Redis outcome; true when the caller should serve this call from memory.
    template <class T>
    bool settle(const redis::Attempt<T>& attempt, const char* operation);
    void went_down(const std::string& detail);
    void came_back();

    std::unique_ptr<redis::RedisStateStore> redis_;
    std::unique_ptr<MemoryStateStore> local_;
    std::chrono::milliseconds retry_interval_;
    MemoryStateStore::Now now_;
    std::string where_;  // the redacted endpoint

    mutable std::mutex mutex_;
    bool degraded_ = false;
    TimePoint next_retry_{};
    std::string last_detail_;
};

}  // namespace nra::state
