// StateStore in this process's memory: the default with one replica, and the fallback while
// Redis is down. Expiry by an injectable steady clock, purged lazily; bounded, dropping the
// soonest-expiring entries first. Safe to call from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "nra/ports/state_store.hpp"

namespace nra::state {

class MemoryStateStore final : public StateStore {
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;
    static constexpr std::size_t kDefaultMaxEntries = 100'000;

    explicit MemoryStateStore(std::size_t max_entries = kDefaultMaxEntries, Now now = {});

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

    // The same operations without a coroutine frame (the fallback and tests call these).
    bool claim_now(const std::string& key, std::string value, std::chrono::milliseconds ttl);
    std::optional<std::string> get_now(const std::string& key);
    void put_now(const std::string& key, std::string value, std::chrono::milliseconds ttl);
    std::int64_t increment_now(const std::string& key, std::chrono::milliseconds window);
    void remove_now(const std::string& key);
    std::size_t size() const;

private:
    using TimePoint = Clock::time_point;
    struct Entry {
        std::string value;
        TimePoint expires;  // TimePoint::max(): never
    };

    TimePoint expiry(std::chrono::milliseconds ttl) const;
    void purge(TimePoint now);  // caller holds mutex_
    void set(const std::string& key, std::string value, TimePoint expires);
    void erase(std::unordered_map<std::string, Entry>::iterator it);

    const std::size_t max_entries_;
    const Now now_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::set<std::pair<TimePoint, std::string>> by_expiry_;  // soonest first
};

}  // namespace nra::state
