// The ReviewStore of a single process: decisions in memory, and in a JSON file when a path is
// given (NR_ANALYZER_STATE_FILE + ".reviews"), so the history of decisions survives restarts.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nra/ports/review_store.hpp"

namespace nra {

class FileReviewStore final : public ReviewStore {
public:
    explicit FileReviewStore(std::optional<std::string> path = std::nullopt);

    boost::asio::awaitable<RecordOutcome> record_once(
        std::string digest, slo::ReviewDecision decision
    ) override;
    boost::asio::awaitable<std::vector<slo::ReviewDecision>> decisions(std::string slo) override;

private:
    struct Entry {
        std::string digest;
        slo::ReviewDecision decision;
    };
    void load();
    void save() const;  // with mutex_ held

    std::optional<std::string> path_;
    mutable std::mutex mutex_;
    std::vector<Entry> entries_;
};

}  // namespace nra
