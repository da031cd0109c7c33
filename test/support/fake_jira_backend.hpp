// The state and rules of the fake Jira, without the server: answers one request at a time
// (routing, auth, scripted faults, create validation, JQL search with eventual consistency,
// comments). Not thread-safe; FakeJira serialises calls.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"
#include "support/fake_jira_rules.hpp"

namespace nra::test {

struct FakeJiraIssue {
    std::string id;   // "10001", …
    std::string key;  // "OPS-1", …
    std::string project;
    std::string issue_type;
    std::string summary;
    nlohmann::json description;  // ADF document (Cloud) or wiki string (Data Center)
    std::vector<std::string> labels;
    bool done = false;
};

struct FakeJiraComment {
    std::string key;
    nlohmann::json body;  // ADF document (Cloud) or wiki string (Data Center)
};

struct FakeJiraSearch {
    std::string method;  // GET or POST
    std::string jql;
    std::vector<std::string> fields;
    std::vector<std::string> reconcile;  // ids from reconcileIssues
    std::vector<std::string> keys;       // what it answered
};

enum class JiraOp { any, create, search, get_issue, comment };

struct JiraFault {
    enum class Kind {
        status,              // answer `status` (with Retry-After when set) and do nothing
        hang,                // read the request, never answer, do nothing
        close,               // close without answering, do nothing
        hang_after_commit,   // do the work (the issue exists), then never answer
        close_after_commit,  // do the work, then close without answering
        echo,  // answer `status` with a Jira error body quoting the request: its line, its
               // Authorization header and its body, plus Slack markup (<!channel>, a link)
    };
    JiraOp op = JiraOp::any;
    Kind kind = Kind::status;
    int status = 500;
    std::string retry_after;
    std::string body;  // replaces the default Jira error body when set

    static JiraFault http(JiraOp op, int status, std::string retry_after = {}) {
        return {op, Kind::status, status, std::move(retry_after), {}};
    }
    static JiraFault of(JiraOp op, Kind kind) { return {op, kind, 0, {}, {}}; }
    static JiraFault with_body(JiraOp op, int status, std::string body) {
        return {op, Kind::status, status, {}, std::move(body)};
    }
    static JiraFault echo(JiraOp op, int status) { return {op, Kind::echo, status, {}, {}}; }
};

struct FakeJiraOptions {
    bool tls = false;
    bool datacenter = false;
    std::vector<std::string> projects{"OPS"};
    std::vector<std::string> issue_types{"Task", "Bug"};
    int search_lag = 0;  // K: searches a new issue stays invisible to (unless reconciled)
};

class JiraBackend {
public:
    static constexpr const char* kEmail = "bot@example.com";
    static constexpr const char* kApiToken = "ATATT3xFfGF0-fake-jira-token-0123456789";
    static constexpr const char* kPat = "NjM4ODc0-fake-pat-0123456789abcdef";
    // base64("bot@example.com:ATATT3xFfGF0-fake-jira-token-0123456789"), computed outside C++
    static constexpr const char* kBasic =
        "Basic Ym90QGV4YW1wbGUuY29tOkFUQVRUM3hGZkdGMC1mYWtlLWppcmEtdG9rZW4tMDEyMzQ1Njc4OQ==";

    explicit JiraBackend(FakeJiraOptions options) : options_(std::move(options)) {}

    // `base` is http(s)://host:port, used in "self" links.
    FakeReply handle(const FakeRequest& request, const std::string& base);

    FakeJiraOptions& options() { return options_; }
    std::deque<JiraFault>& faults() { return faults_; }
    FakeJiraIssue* find(const std::string& key_or_id);
    FakeJiraIssue& add(FakeJiraIssue issue, int search_lag);

    const std::vector<FakeJiraIssue>& issues() const { return issues_; }
    const std::vector<FakeJiraComment>& comments() const { return comments_; }
    const std::vector<FakeJiraSearch>& searches() const { return searches_; }
    std::size_t create_requests() const { return create_requests_; }

private:
    std::string api() const { return options_.datacenter ? "/rest/api/2" : "/rest/api/3"; }
    bool authorized(const FakeRequest& request) const;
    std::optional<JiraFault> take_fault(JiraOp op);
    FakeReply create(const nlohmann::json& body, const std::string& base);
    FakeReply comment(const std::string& key, const nlohmann::json& body);
    FakeReply get_issue(
        const std::string& key,
        const std::map<std::string, std::string>& params,
        const std::string& base
    );
    FakeReply search(
        const FakeRequest& request,
        const std::map<std::string, std::string>& params,
        const std::string& base
    );
    nlohmann::json field_errors(const nlohmann::json& fields) const;
    // Issues matching `query` that the search index shows (lagging ones only when reconciled);
    // every lagging issue gets one search closer to visible.
    std::vector<const FakeJiraIssue*> visible_hits(
        const JqlQuery& query, const std::vector<std::string>& reconcile
    );

    FakeJiraOptions options_;
    std::vector<FakeJiraIssue> issues_;
    std::vector<int> lag_;  // per issue: searches it still misses
    std::vector<FakeJiraComment> comments_;
    std::vector<FakeJiraSearch> searches_;
    std::deque<JiraFault> faults_;
    std::map<std::string, int> numbers_;  // project → last issue number
    std::size_t create_requests_ = 0;
    int next_id_ = 10001;
};

}  // namespace nra::test
