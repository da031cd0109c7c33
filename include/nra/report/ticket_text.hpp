// Report → Jira ticket draft for one endpoint: a one-line summary, a description with figures,
// breaches, change and trace-grounded reasons, a comment with fresh figures for an open ticket, and
// labels (config.jira.labels + the fingerprint that deduplicates).
#pragma once

#include "nra/report/improve_config.hpp"
#include "nra/ports/ticket_tracker.hpp"
#include "nra/report/report.hpp"

namespace nra {

// Summary like "[nr-analyzer] checkout GET /cart: p95 1,800 ms > 1,000 ms" (≤ 255 characters; the
// endpoint is shortened in the middle when needed). Fingerprint: ticket_fingerprint(service,
// endpoint, primary_breach_kind(endpoint)) — "review" as the kind when nothing breaches.
TicketDraft make_ticket(
    const Report& report, const EndpointReport& endpoint, const ImproveConfig& config
);

}  // namespace nra
