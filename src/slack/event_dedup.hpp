// Remembers Slack event ids so retries (after ~0 s, 1 min and 5 min) never produce a second reply.
// Bounded memory: at most `capacity` ids, each kept `ttl`; the oldest are forgotten first. Pure:
// the caller passes the time. Not thread-safe (the I/O thread owns it).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nra {

class EventDedup {
public:
    using Clock = std::chrono::steady_clock;

    explicit EventDedup(
        std::size_t capacity = 100'000, std::chrono::seconds ttl = std::chrono::hours(2)
    );

    // True the first time `event_id` is seen within the TTL (and records it); false for repeats.
    // An empty id is never deduplicated (returns true).
    bool first_time(std::string_view event_id, Clock::time_point now);

    std::size_t size() const { return seen_.size(); }

private:
    void expire(Clock::time_point now);

    std::size_t capacity_;
    std::chrono::seconds ttl_;
    std::unordered_map<std::string, Clock::time_point> seen_;
    std::deque<std::pair<std::string, Clock::time_point>> order_;  // insertion order
};

}  // namespace nra
