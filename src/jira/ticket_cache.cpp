#include "jira/ticket_cache.hpp"

namespace nra::jira {

TicketCache::TicketCache(std::size_t capacity, Clock::duration ttl)
    : capacity_(capacity), ttl_(ttl) {}

std::optional<IssueRef> TicketCache::find(const std::string& fingerprint, Clock::time_point now) {
    expire(now);
    const auto it = index_.find(fingerprint);
    if (it == index_.end()) return std::nullopt;
    return it->second->ref;
}

void TicketCache::put(const std::string& fingerprint, IssueRef ref, Clock::time_point now) {
    if (capacity_ == 0) return;
    erase(fingerprint);
    expire(now);
    while (index_.size() >= capacity_) {
        index_.erase(entries_.front().fingerprint);
        entries_.pop_front();
    }
    entries_.push_back({fingerprint, std::move(ref), now});
    index_[fingerprint] = std::prev(entries_.end());
}

void TicketCache::erase(const std::string& fingerprint) {
    const auto it = index_.find(fingerprint);
    if (it == index_.end()) return;
    entries_.erase(it->second);
    index_.erase(it);
}

void TicketCache::expire(Clock::time_point now) {
    while (!entries_.empty() && now - entries_.front().stored >= ttl_) {
        index_.erase(entries_.front().fingerprint);
        entries_.pop_front();
    }
}

}  // namespace nra::jira
