#include "state/fallback_state_store.hpp"

#include <fmt/format.h>

#include "log/log.hpp"

namespace nra::state {

namespace asio = boost::asio;
using redis::Trouble;

FallbackStateStore::FallbackStateStore(
    std::unique_ptr<redis::RedisStateStore> redis,
    std::unique_ptr<MemoryStateStore> local,
    FallbackOptions options
)
    : redis_(std::move(redis)),
      local_(std::move(local)),
      retry_interval_(options.retry_interval),
      now_(options.now ? std::move(options.now) : MemoryStateStore::Now([] {
          return MemoryStateStore::Clock::now();
      })),
      where_(redis_->endpoint().redacted()) {}

// While degraded, one call per retry interval probes Redis; the others use memory without
// waiting, so an outage costs at most one slow call every interval.
bool FallbackStateStore::use_redis() {
    const std::lock_guard lock(mutex_);
    if (!degraded_) return true;
    const auto now = now_();
    if (now < next_retry_) return false;
    next_retry_ = now + retry_interval_;
    return true;
}

void FallbackStateStore::went_down(const std::string& detail) {
    const std::lock_guard lock(mutex_);
    last_detail_ = detail;
    next_retry_ = now_() + retry_interval_;
    if (degraded_) return;  // still down: said once already
    degraded_ = true;
    log::warn(
        "Redis at {} is unreachable ({}): using local state, not shared with other replicas, "
        "until it answers again",
        where_,
        detail
    );
}

void FallbackStateStore::came_back() {
    const std::lock_guard lock(mutex_);
    if (!degraded_) return;
    degraded_ = false;
    last_detail_.clear();
    log::warn("Redis is back at {}: state is shared again", where_);  // pairs with the warning
}

template <class T>
bool FallbackStateStore::settle(const redis::Attempt<T>& attempt, const char* operation) {
    switch (attempt.trouble) {
        case Trouble::none:
            came_back();
            return false;
        case Trouble::unavailable:
            went_down(attempt.detail);
            return true;
        case Trouble::rejected:  // Redis is fine; this call is not (a bug): answer it locally
            log::error("Redis at {} refused {}: {}", where_, operation, attempt.detail);
            return true;
    }
    return true;
}

asio::awaitable<bool> FallbackStateStore::claim(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    if (use_redis()) {
        auto attempt = co_await redis_->try_claim(key, value, ttl);
        if (!settle(attempt, "claim")) co_return *attempt.value;
    }
    co_return local_->claim_now(key, std::move(value), ttl);
}

asio::awaitable<std::optional<std::string>> FallbackStateStore::get(std::string key) {
    if (use_redis()) {
        auto attempt = co_await redis_->try_get(key);
        if (!settle(attempt, "get")) co_return std::move(*attempt.value);
    }
    co_return local_->get_now(key);
}

asio::awaitable<void> FallbackStateStore::put(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    if (use_redis()) {
        auto attempt = co_await redis_->try_put(key, value, ttl);
        if (!settle(attempt, "put")) co_return;
    }
    local_->put_now(key, std::move(value), ttl);
}

asio::awaitable<std::int64_t> FallbackStateStore::increment(
    std::string key, std::chrono::milliseconds window
) {
    if (use_redis()) {
        auto attempt = co_await redis_->try_increment(key, window);
        if (!settle(attempt, "increment")) co_return *attempt.value;
    }
    co_return local_->increment_now(key, window);
}

asio::awaitable<void> FallbackStateStore::remove(std::string key) {
    if (use_redis()) {
        auto attempt = co_await redis_->try_remove(key);
        if (!settle(attempt, "remove")) co_return;
    }
    local_->remove_now(key);
}

StoreHealth FallbackStateStore::health() const {
    const std::lock_guard lock(mutex_);
    StoreHealth out;
    out.backend = "redis";
    out.shared = !degraded_;
    out.degraded = degraded_;
    out.detail =
        degraded_
            ? fmt::format("redis {} unreachable ({}): local state in use", where_, last_detail_)
            : fmt::format("redis {}", where_);
    return out;
}

}  // namespace nra::state
