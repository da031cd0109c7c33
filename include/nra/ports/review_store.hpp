// ReviewStore port: the decisions taken on SLO review digests ("Reviewed, keep" / "Propose
// change"), each recorded once per digest message, and the latest one per SLO (which counts as
// its last review). In memory, in a file (NR_ANALYZER_STATE_FILE) or in the shared state store
// (REDIS_URL).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "nra/report/slo_digest.hpp"

namespace nra {

struct RecordOutcome {
    bool recorded = false;         // false: this digest already holds a decision for the SLO
    slo::ReviewDecision existing;  // set when !recorded: the decision recorded before
};

class ReviewStore {
public:
    virtual ~ReviewStore() = default;
    // Records `decision` for its SLO in the digest message `digest` (channel + ts), unless that
    // digest already has a decision for the SLO.
    virtual boost::asio::awaitable<RecordOutcome> record_once(
        std::string digest, slo::ReviewDecision decision
    ) = 0;
    // Every decision on this SLO, oldest first.
    virtual boost::asio::awaitable<std::vector<slo::ReviewDecision>> decisions(std::string slo) = 0;
};

}  // namespace nra
