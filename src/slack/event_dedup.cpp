#include "slack/event_dedup.hpp"

#include <utility>

namespace nra {

EventDedup::EventDedup(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(capacity), ttl_(ttl) {}

bool EventDedup::first_time(std::string_view event_id, Clock::time_point now) {
    if (event_id.empty()) return true;
    expire(now);
    std::string id(event_id);
    if (seen_.contains(id)) return false;
    if (capacity_ == 0) return true;
    while (seen_.size() >= capacity_ && !order_.empty()) {
        auto& [oldest, at] = order_.front();
        if (const auto it = seen_.find(oldest); it != seen_.end() && it->second == at) {
            seen_.erase(it);
        }
        order_.pop_front();
    }
    seen_.emplace(id, now);
    order_.emplace_back(std::move(id), now);
    return true;
}

// The deque is in insertion order, so everything past TTL sits at its front. A front entry whose
// time differs from the map's belongs to an earlier life of a re-added id: drop only the entry.
void EventDedup::expire(Clock::time_point now) {
    while (!order_.empty() && now - order_.front().second >= ttl_) {
        auto& [id, at] = order_.front();
        if (const auto it = seen_.find(id); it != seen_.end() && it->second == at) {
            seen_.erase(it);
        }
        order_.pop_front();
    }
}

}  // namespace nra
