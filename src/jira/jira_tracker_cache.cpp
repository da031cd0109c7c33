// JiraTracker's memory of fingerprint → ticket: the shared StateStore when there is one
// (`jira:<fingerprint>` → {"id","key"}, expiring with the local cache's ttl), else, or when it has
// no entry, this process's TicketCache. So a ticket another replica created a moment ago is
// commented on while Jira's search lags, not created twice.
#include <chrono>
#include <nlohmann/json.hpp>

#include "jira/jira_tracker.hpp"

namespace nra::jira {
namespace {

std::string shared_key(const std::string& fingerprint) {
    return "jira:" + fingerprint;
}

std::optional<IssueRef> parse_shared(const std::optional<std::string>& stored) {
    if (!stored) return std::nullopt;
    const auto doc = nlohmann::json::parse(*stored, nullptr, false);
    if (!doc.is_object()) return std::nullopt;
    const auto key = doc.find("key");
    const auto id = doc.find("id");
    if (key == doc.end() || !key->is_string() || key->get<std::string>().empty()) {
        return std::nullopt;
    }
    IssueRef issue;
    issue.key = key->get<std::string>();
    if (id != doc.end() && id->is_string()) issue.id = id->get<std::string>();
    return issue;
}

}  // namespace

boost::asio::awaitable<std::optional<IssueRef>> JiraTracker::cached_ticket(std::string fingerprint
) {
    auto local = cache_.find(fingerprint, Clock::now());
    if (shared_ == nullptr) co_return local;
    // The shared entry wins: another replica may have replaced a closed ticket meanwhile.
    const std::string key = shared_key(fingerprint);
    const auto stored = co_await shared_->get(key);
    auto issue = parse_shared(stored);
    if (!issue) co_return local;
    cache_.put(fingerprint, *issue, Clock::now());
    co_return issue;
}

boost::asio::awaitable<void> JiraTracker::remember(std::string fingerprint, IssueRef issue) {
    cache_.put(fingerprint, issue, Clock::now());
    if (shared_ == nullptr) co_return;
    const std::string key = shared_key(fingerprint);
    const std::string value = nlohmann::json{{"id", issue.id}, {"key", issue.key}}.dump();
    const auto ttl = std::chrono::duration_cast<std::chrono::milliseconds>(config_.cache_ttl);
    co_await shared_->put(key, value, ttl);
}

boost::asio::awaitable<void> JiraTracker::forget(std::string fingerprint) {
    cache_.erase(fingerprint);
    if (shared_ == nullptr) co_return;
    const std::string key = shared_key(fingerprint);
    co_await shared_->remove(key);
}

}  // namespace nra::jira
