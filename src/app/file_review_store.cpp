#include "app/file_review_store.hpp"

#include <nlohmann/json.hpp>

#include "app/scheduler.hpp"
#include "app/state_file.hpp"

namespace nra {
namespace {

constexpr const char* kWhat = "SLO review decisions";
constexpr std::size_t kMaxEntries = 10'000;  // the oldest go first; a decade of weekly digests

// A hand-edited file must not stop the bot: wrong types read as empty.
std::string text_of(const nlohmann::json& item, const char* key) {
    const auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t number_of(const nlohmann::json& item, const char* key) {
    const auto it = item.find(key);
    return it != item.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

std::optional<std::string> review_store_path() {
    auto state = scheduler_state_path();
    if (!state) return std::nullopt;
    return *state + ".reviews";
}

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
        if (!item.is_object()) continue;
        Entry e;
        e.digest = text_of(item, "digest");
        e.decision.slo = text_of(item, "slo");
        e.decision.decision = text_of(item, "decision");
        e.decision.user = text_of(item, "user");
        e.decision.at_s = number_of(item, "at");
        if (e.decision.slo.empty() || e.decision.decision.empty()) continue;
        entries_.push_back(std::move(e));
    }
}

void FileReviewStore::save() const {
    if (!path_) return;
    auto list = nlohmann::json::array();
    for (const auto& e : entries_) {
        list.push_back(
            {{"digest", e.digest},
             {"slo", e.decision.slo},
             {"decision", e.decision.decision},
             {"user", e.decision.user},
             {"at", e.decision.at_s}}
        );
    }
    const nlohmann::json json{{"decisions", std::move(list)}};
    write_state_file(*path_, json, kWhat);
}

}  // namespace nra
