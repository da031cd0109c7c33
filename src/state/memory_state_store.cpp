#include "state/memory_state_store.hpp"

#include <charconv>

namespace nra::state {

namespace asio = boost::asio;

MemoryStateStore::MemoryStateStore(std::size_t max_entries, Now now)
    : max_entries_(max_entries == 0 ? 1 : max_entries),
      now_(now ? std::move(now) : Now([] { return Clock::now(); })) {}

MemoryStateStore::TimePoint MemoryStateStore::expiry(std::chrono::milliseconds ttl) const {
    if (ttl.count() <= 0) return TimePoint::max();
    return now_() + ttl;
}

void MemoryStateStore::purge(TimePoint now) {
    while (!by_expiry_.empty() && by_expiry_.begin()->first <= now) {
        erase(entries_.find(by_expiry_.begin()->second));
    }
}

void MemoryStateStore::erase(std::unordered_map<std::string, Entry>::iterator it) {
    by_expiry_.erase({it->second.expires, it->first});
    entries_.erase(it);
}

// Inserts or replaces; a new key beyond the bound evicts the entry that would expire soonest.
void MemoryStateStore::set(const std::string& key, std::string value, TimePoint expires) {
    if (auto it = entries_.find(key); it != entries_.end()) {
        erase(it);
    } else if (entries_.size() >= max_entries_) {
        erase(entries_.find(by_expiry_.begin()->second));
    }
    entries_.emplace(key, Entry{std::move(value), expires});
    by_expiry_.emplace(expires, key);
}

bool MemoryStateStore::claim_now(
    const std::string& key, std::string value, std::chrono::milliseconds ttl
) {
    const std::lock_guard lock(mutex_);
    purge(now_());
    if (entries_.contains(key)) return false;
    set(key, std::move(value), expiry(ttl));
    return true;
}

std::optional<std::string> MemoryStateStore::get_now(const std::string& key) {
    const std::lock_guard lock(mutex_);
    purge(now_());
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.value;
}

void MemoryStateStore::put_now(
    const std::string& key, std::string value, std::chrono::milliseconds ttl
) {
    const std::lock_guard lock(mutex_);
    purge(now_());
    set(key, std::move(value), expiry(ttl));
}

// A value that is not a count (a caller bug: the key was put) restarts the window at 1, where
// Redis would answer an error.
std::int64_t MemoryStateStore::increment_now(
    const std::string& key, std::chrono::milliseconds window
) {
    const std::lock_guard lock(mutex_);
    purge(now_());
    const auto it = entries_.find(key);
    std::int64_t count = 0;
    if (it != entries_.end()) {
        const std::string& text = it->second.value;
        const auto* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, count);
        if (ec != std::errc{} || ptr != end) {
            set(key, "1", expiry(window));
            return 1;
        }
        it->second.value = std::to_string(++count);  // the window keeps its first expiry
        return count;
    }
    set(key, "1", expiry(window));
    return 1;
}

void MemoryStateStore::remove_now(const std::string& key) {
    const std::lock_guard lock(mutex_);
    if (const auto it = entries_.find(key); it != entries_.end()) erase(it);
}

std::size_t MemoryStateStore::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

asio::awaitable<bool> MemoryStateStore::claim(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    co_return claim_now(key, std::move(value), ttl);
}

asio::awaitable<std::optional<std::string>> MemoryStateStore::get(std::string key) {
    co_return get_now(key);
}

asio::awaitable<void> MemoryStateStore::put(
    std::string key, std::string value, std::chrono::milliseconds ttl
) {
    put_now(key, std::move(value), ttl);
    co_return;
}

asio::awaitable<std::int64_t> MemoryStateStore::increment(
    std::string key, std::chrono::milliseconds window
) {
    co_return increment_now(key, window);
}

asio::awaitable<void> MemoryStateStore::remove(std::string key) {
    remove_now(key);
    co_return;
}

StoreHealth MemoryStateStore::health() const {
    return StoreHealth{"memory", false, false, "in-process state (one replica)"};
}

}  // namespace nra::state
