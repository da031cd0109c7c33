// Report → Jira ticket draft for one endpoint: a one-line summary, a description with figures,
// breaches, change and trace-grounded reasons, a comment with fresh figures for an open ticket, and
// labels (config.jira.labels + the fingerprint that deduplicates).
#pragma once

#include <string>
#include <vector>

#include "nra/report/improve_config.hpp"
#include "nra/report/report.hpp"

namespace nra {

// A ticket to file (TicketTracker port), as the core words it.
struct TicketDraft {
    std::string fingerprint;  // label-safe: [a-z0-9-], e.g. "nra-fp-3f9c2a1b"
    std::string summary;      // one line, ≤ 255 characters
    // Plain structured text: paragraphs separated by blank lines, "- " bullet lines, `code`
    // spans and <url|label> links; the adapter turns it into ADF (Cloud) or wiki markup (DC).
    std::string description;
    std::string comment;  // used instead when an open ticket already exists (fresh figures)
    std::vector<std::string> labels;
};

// Summary like "[nr-analyzer] checkout GET /cart: p95 1,800 ms > 1,000 ms" (≤ 255 characters; the
// endpoint is shortened in the middle when needed). Fingerprint: ticket_fingerprint(service,
// endpoint, primary_breach_kind(endpoint)) — "review" as the kind when nothing breaches.
TicketDraft make_ticket(
    const Report& report, const EndpointReport& endpoint, const ImproveConfig& config
);

}  // namespace nra
