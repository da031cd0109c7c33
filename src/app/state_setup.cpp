#include "app/state_setup.hpp"

#include "app/environment.hpp"
#include "app/scheduler.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_state_store.hpp"
#include "redis/redis_url.hpp"
#include "state/fallback_state_store.hpp"
#include "state/file_review_store.hpp"
#include "state/memory_state_store.hpp"
#include "state/recent_analyses.hpp"
#include "state/shared_recent_store.hpp"
#include "state/shared_review_store.hpp"

namespace nra {

Result<StateSetup> make_state_store(const boost::asio::any_io_executor& executor) {
    StateSetup setup;
    const auto url = env_value("REDIS_URL");
    if (!url || url->empty()) {
        setup.store = std::make_unique<state::MemoryStateStore>();
        setup.description = "memory (one replica; set REDIS_URL to share it)";
        return setup;
    }
    auto endpoint = redis::parse_redis_url(*url);
    if (!endpoint) return make_error(endpoint.error());
    // Short deadlines: a probe of a Redis that is down is paid for by one request.
    redis::RedisOptions options;
    options.connect_timeout = std::chrono::milliseconds(300);
    options.command_timeout = std::chrono::milliseconds(500);
    auto connection = std::make_shared<redis::RedisConnection>(executor, *endpoint, options);
    setup.description = "Redis at " + endpoint->redacted();
    setup.store = std::make_unique<state::FallbackStateStore>(
        std::make_unique<redis::RedisStateStore>(*connection),
        std::make_unique<state::MemoryStateStore>()
    );
    setup.owned = std::move(connection);
    setup.shared = true;
    return setup;
}

ReplicaStores make_replica_stores(const StateSetup& state) {
    ReplicaStores stores;
    if (state.shared) {
        stores.reviews = std::make_unique<SharedReviewStore>(*state.store);
        stores.recent = std::make_unique<SharedRecentStore>(*state.store);
    } else {
        stores.reviews = std::make_unique<FileReviewStore>(review_store_path());
        stores.recent = std::make_unique<RecentAnalyses>();
    }
    return stores;
}

}  // namespace nra
