#include "support/fake_jira.hpp"

namespace nra::test {

FakeJira::FakeJira(FakeJiraOptions options) : backend_(std::move(options)) {
    FakeServerOptions server_options;
    server_options.tls = backend_.options().tls;
    server_ = std::make_unique<FakeHttpServer>(
        [this](const FakeRequest& r) {
            const std::lock_guard lock(mutex_);
            return backend_.handle(r, base_);
        },
        server_options
    );
    const std::lock_guard lock(mutex_);
    base_ = server_->url("");
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

FakeJira::~FakeJira() {
    server_.reset();  // joins the server thread before the backend goes
}

void FakeJira::set_search_lag(int searches) {
    const std::lock_guard lock(mutex_);
    backend_.options().search_lag = searches;
}

void FakeJira::push_fault(JiraFault fault) {
    const std::lock_guard lock(mutex_);
    backend_.faults().push_back(std::move(fault));
}

void FakeJira::mark_done(const std::string& key) {
    const std::lock_guard lock(mutex_);
    if (auto* issue = backend_.find(key)) issue->done = true;
}

std::string FakeJira::add_issue(const std::string& label, bool done) {
    const std::lock_guard lock(mutex_);
    FakeJiraIssue issue;
    issue.project = backend_.options().projects.front();
    issue.issue_type = backend_.options().issue_types.front();
    issue.summary = "filed by a person";
    issue.labels = {label};
    issue.done = done;
    return backend_.add(std::move(issue), 0).key;
}

std::vector<FakeJiraIssue> FakeJira::issues() const {
    const std::lock_guard lock(mutex_);
    return backend_.issues();
}

std::vector<FakeJiraComment> FakeJira::comments() const {
    const std::lock_guard lock(mutex_);
    return backend_.comments();
}

std::vector<FakeJiraSearch> FakeJira::searches() const {
    const std::lock_guard lock(mutex_);
    return backend_.searches();
}

std::size_t FakeJira::create_requests() const {
    const std::lock_guard lock(mutex_);
    return backend_.create_requests();
}

}  // namespace nra::test
