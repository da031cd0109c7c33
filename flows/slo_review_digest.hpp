// Builds the SLO review digest through the ports: for each SLO of a service (or every SLO), its
// last windows within what New Relic keeps, the advice, the plain sentence, what spent the
// budget (the endpoints with the most bad events, from /improve's statistics), whether its review
// is due, and the decisions recorded on earlier digests. Shared by `/improve slo`, the scheduler
// and `nr-analyzer slo review`. One SLO that cannot be computed never hides the others.
#pragma once

#include <cstdint>
#include <string>

#include "improve_report.hpp"
#include "nra/report/slo_digest.hpp"

namespace nra {

struct DigestRequest {
    std::string service;  // empty or "all": every configured SLO
    std::int64_t now_ms = 0;
};

// The error: no SLO to review, with what is configured (or /improve not set up).
boost::asio::awaitable<Result<slo::Digest>> produce_slo_digest(
    const Ports& ports, DigestRequest request
);

// The SLO of that name in the configuration, or null.
const SloSpec* find_slo(const ImproveConfig& config, const std::string& name);

// The last review of an SLO: the later of the configured date and the latest decision.
std::optional<std::int64_t> last_review_days(
    const SloSpec& spec, const std::optional<slo::ReviewDecision>& decision
);

}  // namespace nra
