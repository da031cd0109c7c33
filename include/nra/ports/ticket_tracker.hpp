// TicketTracker port: deduplicated tickets for breaching endpoints (Jira Cloud v3 or Data Center
// v2). A fingerprint (service + endpoint + breach kind) labels each ticket; an open ticket with the
// same fingerprint gets a comment instead of a duplicate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "nra/report/ticket_text.hpp"

namespace nra {

enum class TicketStatus {
    created,    // a new ticket
    commented,  // an open ticket with this fingerprint existed: commented on it
    rejected,   // 401/403: credentials or permissions
    not_found,  // 404: project or issue type does not exist
    rate_limited,
    unavailable,  // network, 5xx, unreadable answers after the retries
    failed,       // 400/422 and anything else: the message says what Jira said
};

struct TicketResult {
    TicketStatus status = TicketStatus::failed;
    std::string key;      // e.g. "OPS-42" when created or commented
    std::string url;      // browse URL of the ticket
    std::string message;  // one line for the user when it failed; no secrets
};

class TicketTracker {
public:
    virtual ~TicketTracker() = default;
    // Creates the ticket, or comments on the open one with the same fingerprint.
    virtual boost::asio::awaitable<TicketResult> file(TicketDraft draft) = 0;
};

}  // namespace nra
