// Tickets this process created or found, by fingerprint, bounded in size and age: Jira Cloud's
// search is eventually consistent, so a ticket made a moment ago may not show up in a search yet.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "jira/jira_response.hpp"

namespace nra::jira {

class TicketCache {
public:
    using Clock = std::chrono::steady_clock;

    TicketCache(std::size_t capacity, Clock::duration ttl);

    // The ticket for `fingerprint` when it was stored less than ttl before `now`.
    std::optional<IssueRef> find(const std::string& fingerprint, Clock::time_point now);
    // Stores or refreshes; the oldest entry makes room when full.
    void put(const std::string& fingerprint, IssueRef ref, Clock::time_point now);
    void erase(const std::string& fingerprint);
    std::size_t size() const { return index_.size(); }

private:
    struct Entry {
        std::string fingerprint;
        IssueRef ref;
        Clock::time_point stored;
    };
    void expire(Clock::time_point now);

    std::size_t capacity_;
    Clock::duration ttl_;
    std::list<Entry> entries_;  // oldest first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace nra::jira
