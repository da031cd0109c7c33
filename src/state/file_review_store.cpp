#include "state/file_review_store.hpp"

#include <nlohmann/json.hpp>

#include "state/review_json.hpp"
#include "state/state_file.hpp"

namespace nra {
namespace {

constexpr const char* kWhat = "SLO review decisions";
constexpr std::size_t kMaxEntries = 10'000;  // the oldest go first; a decade of weekly digests

}  // namespace

FileReviewStore::FileReviewStore(std::optional<std::string> path) : path_(std::move(path)) {
    load();
}

boost::asio::awaitable<RecordOutcome> FileReviewStore::record_once(
    std::string digest, slo::ReviewDecision decision
) {
    RecordOutcome outcome;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& e : entries_) {
            if (e.digest == digest && e.decision.slo == decision.slo) {
                outcome.existing = e.decision;
                co_return outcome;
            }
        }
        entries_.push_back({std::move(digest), std::move(decision)});
        if (entries_.size() > kMaxEntries) entries_.erase(entries_.begin());
        save();
    }
    outcome.recorded = true;
    co_return outcome;
}

boost::asio::awaitable<std::vector<slo::ReviewDecision>> FileReviewStore::decisions(std::string slo
) {
    std::vector<slo::ReviewDecision> out;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& e : entries_) {
            if (e.decision.slo == slo) out.push_back(e.decision);
        }
    }
    co_return out;
}

void FileReviewStore::load() {
    if (!path_) return;
    const auto json = read_state_file(*path_, kWhat);
    const auto list = json.value("decisions", nlohmann::json::array());  // named: loop below
    if (!list.is_array()) return;
    for (const auto& item : list) {
        auto decision = review_decision_from(item);
        if (decision) entries_.push_back({json_text(item, "digest"), std::move(*decision)});
    }
}

void FileReviewStore::save() const {
    if (!path_) return;
    auto list = nlohmann::json::array();
    for (const auto& e : entries_) {
        auto item = review_decision_json(e.decision);
        item["digest"] = e.digest;
        list.push_back(std::move(item));
    }
    const nlohmann::json json{{"decisions", std::move(list)}};
    write_state_file(*path_, json, kWhat);
}

}  // namespace nra
