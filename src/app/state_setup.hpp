// The shared state of `serve`: Redis when REDIS_URL is set (through a fallback that keeps the bot
// answering from local memory while Redis is down), else memory only. Owns what it builds.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "nra/ports/recent_store.hpp"
#include "nra/ports/review_store.hpp"
#include "nra/ports/state_store.hpp"
#include "nra/result.hpp"

namespace nra {

struct StateSetup {
    std::shared_ptr<void> owned;  // the Redis connection behind `store`, when there is one
    std::unique_ptr<StateStore> store;
    std::string description;  // "memory" or "Redis at redis://***@host:6379/0" (no password)
    bool shared = false;      // REDIS_URL: other replicas see this state
};

// What the App Home lists and the SLO review decisions: in the shared store when there is one
// (REDIS_URL), else in this process (decisions also in NR_ANALYZER_STATE_FILE + ".reviews").
struct ReplicaStores {
    std::unique_ptr<ReviewStore> reviews;
    std::unique_ptr<RecentStore> recent;
};
ReplicaStores make_replica_stores(const StateSetup& state);

// An error for a REDIS_URL that cannot be used (never repeating the URL's password).
Result<StateSetup> make_state_store(const boost::asio::any_io_executor& executor);

}  // namespace nra
