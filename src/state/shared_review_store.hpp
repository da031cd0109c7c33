// The ReviewStore of several replicas: SLO review decisions in the shared StateStore (Redis), so
// a button pressed on one replica is seen by all. One decision per digest and SLO is a claim
// (`review:<digest>:<slo>`); the history per SLO is one JSON list (`reviews:<slo>`), appended by
// whoever won the claim.
#pragma once

#include "nra/ports/review_store.hpp"
#include "nra/ports/state_store.hpp"

namespace nra {

class SharedReviewStore final : public ReviewStore {
public:
    static constexpr std::size_t kMaxHistory = 520;  // ten years of weekly reviews per SLO

    explicit SharedReviewStore(StateStore& state) : state_(state) {}

    boost::asio::awaitable<RecordOutcome> record_once(
        std::string digest, slo::ReviewDecision decision
    ) override;
    boost::asio::awaitable<std::vector<slo::ReviewDecision>> decisions(std::string slo) override;

private:
    StateStore& state_;
};

}  // namespace nra
