// Reading Jira's answers (create, search, get issue, error bodies) and turning failed exchanges
// into TicketResults a user can read. Pure: no network, no secrets in any message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/http_types.hpp"
#include "jira/jira_config.hpp"
#include "nra/ports/ticket_tracker.hpp"
#include "nra/result.hpp"

namespace nra::jira {

struct IssueRef {
    std::string id;     // numeric id as a string, e.g. "10042"
    std::string key;    // e.g. "OPS-42"
    bool done = false;  // status category "done" (only known from search and get-issue answers)
};

// 201 of POST …/issue: {"id","key","self"}.
Result<IssueRef> parse_created(std::string_view body);

// Search answers of both flavours: {"issues":[{"id","key","fields":{"status":…}}], …}.
Result<std::vector<IssueRef>> parse_search(std::string_view body);

// GET …/issue/{key}?fields=status.
Result<IssueRef> parse_issue(std::string_view body);

// Jira's errorMessages and errors ("field: message") joined with "; ", one line, at most
// `max_chars` characters; empty when the body holds none.
std::string error_text(std::string_view body, std::size_t max_chars = 300);

// The field names of Jira's errors object (plausible names only, at most 5): all a user is shown
// of a refusal.
std::vector<std::string> error_fields(std::string_view body);

// A 400 that says the project or issue type does not exist (create's errors.project /
// errors.issuetype, or JQL's "does not exist for the field 'project'").
bool names_missing_project(std::string_view body);

// Which call failed: it decides what a 404 means.
enum class Step { search, create, comment, get_issue };

// The user-facing result for an exchange that did not succeed: a sentence of ours (the HTTP
// status, at most the field names Jira complains about), never Jira's text, which may echo our
// request (its secrets, or Slack markup someone put in a field).
TicketResult describe_failure(const http::Outcome& outcome, const JiraConfig& config, Step step);

// error_text() with the email and token redacted (before clipping to `max_chars`).
std::string safe_error_text(
    std::string_view body, const JiraConfig& config, std::size_t max_chars = 300
);

// The token, the email and Basic auth's "email:token" (those configured).
std::vector<std::string> secrets_of(const JiraConfig& config);

// `text` with each of secrets_of(config), in every encoding (log::secret_forms), replaced by
// "[redacted]".
std::string redact(std::string text, const JiraConfig& config);

// host[:port] of the Jira URL, for messages (user:password@ left out).
std::string host_of(std::string_view url);

}  // namespace nra::jira
