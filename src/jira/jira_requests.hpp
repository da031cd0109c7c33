// Building Jira requests for both flavours: create, dedup search, get issue, comment. Pure (no
// network); the Authorization header is set here and must never be logged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"
#include "jira/jira_config.hpp"
#include "nra/ports/ticket_tracker.hpp"

namespace nra::jira {

inline constexpr std::size_t kMaxReconcileIds = 50;  // Jira's limit for reconcileIssues

// Fingerprints become labels and JQL values: only [a-z0-9-], 1 to 255 characters.
bool valid_fingerprint(std::string_view fingerprint);

// A JQL string literal: "value" with backslashes and double quotes escaped.
std::string jql_string(std::string_view value);

// project = "P" AND labels = "fp" AND statusCategory != Done
std::string dedup_jql(std::string_view project, std::string_view fingerprint);

// Labels for a new ticket: the draft's (whitespace turned into '-', empty and duplicate ones
// dropped, each at most 255 bytes) followed by the fingerprint.
std::vector<std::string> ticket_labels(
    const std::vector<std::string>& labels, const std::string& fingerprint
);

// One line (newlines and tabs become spaces), trimmed, at most 255 characters.
std::string clean_summary(std::string_view summary);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(std::string_view text);

http::Request create_request(const JiraConfig& config, const TicketDraft& draft);

// Cloud: POST /rest/api/3/search/jql with fields and reconcileIssues (numeric ids, ≤ 50).
// Data Center: GET /rest/api/2/search?jql=…&startAt=0&maxResults=…&fields=…
http::Request search_request(
    const JiraConfig& config,
    const std::string& fingerprint,
    const std::vector<std::string>& reconcile_ids
);

http::Request get_issue_request(const JiraConfig& config, const std::string& key);

http::Request comment_request(
    const JiraConfig& config, const std::string& key, std::string_view text
);

}  // namespace nra::jira
