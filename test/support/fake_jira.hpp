// A fake Jira on FakeHttpServer: Cloud (REST v3: Basic email:token, ADF bodies, search at
// /rest/api/3/search/jql with fields and reconcileIssues, the old /search answering 410) or Data
// Center (v2: Bearer PAT, wiki strings, /rest/api/2/search with startAt/maxResults). Validates
// what Jira validates on create, evaluates a JQL subset, and simulates search's eventual
// consistency: a new issue stays out of the next K searches unless reconciled by id. Faults are
// scripted per operation. Thread-safe (the handler runs on the server thread).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"
#include "support/fake_jira_backend.hpp"

namespace nra::test {

class FakeJira {
public:
    static constexpr const char* kEmail = JiraBackend::kEmail;
    static constexpr const char* kApiToken = JiraBackend::kApiToken;
    static constexpr const char* kPat = JiraBackend::kPat;

    explicit FakeJira(FakeJiraOptions options = {});
    ~FakeJira();
    FakeJira(const FakeJira&) = delete;
    FakeJira& operator=(const FakeJira&) = delete;

    std::string base_url() const { return base_; }  // http(s)://127.0.0.1:PORT (JIRA_URL)
    FakeHttpServer& server() { return *server_; }

    void set_search_lag(int searches);
    // Faults are used in order; each applies to the first later request of its operation.
    void push_fault(JiraFault fault);
    // Moves the issue to a status in category Done (visible to search at once).
    void mark_done(const std::string& key);
    // An issue that exists already (e.g. filed by a person), visible to search at once.
    std::string add_issue(const std::string& label, bool done = false);

    std::vector<FakeJiraIssue> issues() const;
    std::vector<FakeJiraComment> comments() const;
    std::vector<FakeJiraSearch> searches() const;
    std::size_t create_requests() const;  // POST …/issue received, valid or not

private:
    mutable std::mutex mutex_;
    JiraBackend backend_;
    std::unique_ptr<FakeHttpServer> server_;
    std::string base_;
};

}  // namespace nra::test
