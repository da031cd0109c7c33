// Builds the SLO review digest through the ports: for each SLO of a service (or every SLO), its
// last windows within what New Relic keeps, the advice, the plain sentence, what spent the
// budget (the endpoints with the most bad events, from /improve's statistics), whether its review
// is due, and the decisions recorded on earlier digests. Shared by `/improve slo`, the scheduler
// and `nr-analyzer slo review`. One SLO that cannot be computed never hides the others.
#pragma once

#include <cstdint>
#include <string>

#include "improve_report.hpp"
#include "nra/ports/review_store.hpp"
#include "nra/slo_digest.hpp"

namespace nra {

struct DigestRequest {
    std::string service;  // empty or "all": every configured SLO
    std::int64_t now_ms = 0;
};

struct DigestOutcome {
    bool ok = false;
    std::string problem;  // when !ok: no SLO to review, with what is configured
    slo::Digest digest;
};

// `reviews` may be null (no decisions known).
boost::asio::awaitable<DigestOutcome> produce_slo_digest(
    ReportPorts ports, ReviewStore* reviews, DigestRequest request
);

// The SLO of that name in the configuration, or null.
const SloSpec* find_slo(const ImproveConfig& config, const std::string& name);

// The last review of an SLO: the later of the configured date and the latest decision.
std::optional<std::int64_t> last_review_days(
    const SloSpec& spec, const std::optional<slo::ReviewDecision>& decision
);

}  // namespace nra
