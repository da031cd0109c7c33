// The App Home's latest trace summaries in the shared StateStore (REDIS_URL): one JSON list per
// workspace (`recent:<team>`, newest first, bounded, kept 30 days), so every replica lists the
// same analyses. Two replicas recording at the same instant may drop one entry: it is a list of
// recent work, not a ledger.
#pragma once

#include <cstddef>

#include "nra/ports/recent_store.hpp"
#include "nra/ports/state_store.hpp"

namespace nra {

class SharedRecentStore final : public RecentStore {
public:
    explicit SharedRecentStore(StateStore& state, std::size_t per_team = 10)
        : state_(state), per_team_(per_team) {}

    boost::asio::awaitable<void> remember(std::string team_id, RecentAnalysis analysis) override;
    boost::asio::awaitable<std::vector<RecentAnalysis>> recall(std::string team_id) override;

private:
    StateStore& state_;
    std::size_t per_team_;
};

}  // namespace nra
