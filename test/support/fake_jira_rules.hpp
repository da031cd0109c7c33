// What the fake Jira checks, apart from routing: the JQL subset it evaluates and the ADF shape
// Jira Cloud accepts. Pure, so a fake that got stricter or looser shows in its own tests.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_http_server.hpp"

namespace nra::test {

struct FakeJiraIssue;

// `field = value` or `field != value`; value from a bare word or a "quoted string".
struct JqlClause {
    std::string field;  // lower-cased: project, labels, statuscategory, key
    bool negated = false;
    std::string value;
};

struct JqlQuery {
    std::vector<JqlClause> clauses;
    std::string error;  // Jira-like message when the text is outside the subset; empty when ok
};

// Clauses joined by AND (any case). Quoted strings honour \" and \\ escapes. OR, parentheses,
// functions and ORDER BY are refused, so an injected clause cannot pass unnoticed.
JqlQuery parse_jql(std::string_view jql);

// Why Jira Cloud would refuse `doc` as an Atlassian Document; empty when it is acceptable:
// version 1, type doc, known block and inline nodes, no empty text nodes, known marks, links
// with an href.
std::string adf_problem(const nlohmann::json& doc);

// Characters (code points) in a UTF-8 string, as Jira counts them.
std::size_t utf8_length(std::string_view text);

// Jira's error body: {"errorMessages":[message],"errors":{}}.
FakeReply jira_error(int status, const std::string& message);
FakeReply reply_json(int status, const nlohmann::json& body);

// An issue as search and get-issue show it. `all`: every field when `fields` is empty (Data
// Center, get-issue); Cloud's enhanced search returns only the id unless fields ask for more.
nlohmann::json issue_json(
    const FakeJiraIssue& issue,
    const std::vector<std::string>& fields,
    bool all,
    const std::string& api_base
);

// The JQL check Jira does before searching: known fields, existing projects, valid categories.
std::optional<FakeReply> jql_refusal(
    const JqlQuery& query, const std::vector<std::string>& projects
);

bool jql_matches(const FakeJiraIssue& issue, const JqlClause& clause);

// "a,b,c" → {a, b, c}, empty items dropped.
std::vector<std::string> split_list(const std::string& text);

}  // namespace nra::test
