#include "state/shared_review_store.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "state/review_json.hpp"

namespace nra {
namespace {

// A digest's buttons are pressed within days; the claim outlives any review cadence.
constexpr auto kClaimTtl = std::chrono::milliseconds(std::chrono::hours(24 * 400));
constexpr auto kForever = std::chrono::milliseconds(0);

std::vector<slo::ReviewDecision> parse_history(const std::optional<std::string>& stored) {
    std::vector<slo::ReviewDecision> out;
    if (!stored) return out;
    const auto list = nlohmann::json::parse(*stored, nullptr, false);
    if (!list.is_array()) return out;
    for (const auto& item : list) {
        if (auto decision = review_decision_from(item)) out.push_back(std::move(*decision));
    }
    return out;
}

}  // namespace

boost::asio::awaitable<RecordOutcome> SharedReviewStore::record_once(
    std::string digest, slo::ReviewDecision decision
) {
    RecordOutcome outcome;
    const std::string claim_key = "review:" + digest + ":" + decision.slo;
    const std::string value = review_decision_json(decision).dump();
    const bool first = co_await state_.claim(claim_key, value, kClaimTtl);
    if (!first) {
        const auto stored = co_await state_.get(claim_key);
        const auto json = nlohmann::json::parse(stored.value_or(""), nullptr, false);
        outcome.existing = review_decision_from(json).value_or(decision);
        co_return outcome;
    }
    const std::string history_key = "reviews:" + decision.slo;
    const auto stored = co_await state_.get(history_key);
    auto history = nlohmann::json::array();
    for (const auto& d : parse_history(stored)) history.push_back(review_decision_json(d));
    history.push_back(review_decision_json(decision));
    if (history.size() > kMaxHistory) history.erase(history.begin());
    const std::string updated = history.dump();
    co_await state_.put(history_key, updated, kForever);
    outcome.recorded = true;
    co_return outcome;
}

boost::asio::awaitable<std::vector<slo::ReviewDecision>> SharedReviewStore::decisions(
    std::string slo
) {
    const std::string key = "reviews:" + slo;
    const auto stored = co_await state_.get(key);
    co_return parse_history(stored);
}

}  // namespace nra
