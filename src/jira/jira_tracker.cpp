#include "jira/jira_tracker.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "http/client.hpp"
#include "http/retry.hpp"
#include "jira/jira_requests.hpp"
#include "log/log.hpp"

namespace nra::jira {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

TicketResult failed(TicketStatus status, std::string message) {
    TicketResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

milliseconds time_left(Clock::time_point deadline) {
    return std::max(milliseconds{0}, std::chrono::floor<milliseconds>(deadline - Clock::now()));
}

http::Outcome budget_spent() {
    http::Outcome out;
    out.failure = http::Failure::timeout;
    out.detail = "time budget for this ticket spent";
    out.attempts = 0;
    return out;
}

// The request may have reached Jira and been acted on, but we cannot know.
bool answer_lost(const http::Outcome& out) {
    if (!out.ok()) {
        return out.failure == http::Failure::timeout || out.failure == http::Failure::connect ||
               out.failure == http::Failure::protocol;
    }
    return out.response.status >= 500;
}

bool is_5xx_retryable(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504;
}

// The ticket to comment on when several are open: the cached one, else the oldest (lowest id).
IssueRef pick_issue(const std::vector<IssueRef>& issues, const std::optional<IssueRef>& cached) {
    if (cached) {
        for (const auto& issue : issues) {
            if (issue.key == cached->key) return issue;
        }
    }
    return *std::min_element(issues.begin(), issues.end(), [](const auto& a, const auto& b) {
        return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
    });
}

}  // namespace

struct JiraTracker::InFlight {
    explicit InFlight(const asio::any_io_executor& executor)
        : done(executor, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;  // cancelled when the turn ends; waiters then look again
};

class JiraTracker::Slot {
public:
    Slot(JiraTracker& tracker, std::string fingerprint)
        : tracker_(tracker), fingerprint_(std::move(fingerprint)) {}
    ~Slot() { tracker_.release(fingerprint_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

private:
    JiraTracker& tracker_;
    std::string fingerprint_;
};

JiraTracker::JiraTracker(http::Client& http, JiraConfig config, StateStore* shared)
    : http_(http),
      config_(std::move(config)),
      cache_(config_.cache_capacity, config_.cache_ttl),
      shared_(shared) {
    // Whatever Jira echoes of our requests into a log line is scrubbed, in any encoding.
    for (const auto& secret : secrets_of(config_)) log::add_secret(secret);
}

JiraTracker::~JiraTracker() = default;

asio::awaitable<TicketResult> JiraTracker::file(TicketDraft draft) {
    if (!valid_fingerprint(draft.fingerprint)) {
        log::warn("Jira: refused a ticket whose fingerprint is not [a-z0-9-]+");
        co_return failed(
            TicketStatus::failed, "the ticket's fingerprint may only hold a-z, 0-9 and '-'"
        );
    }
    if (clean_summary(draft.summary).empty()) {
        co_return failed(TicketStatus::failed, "a Jira ticket needs a summary");
    }
    const auto fingerprint = draft.fingerprint;
    auto turn = acquire(fingerprint);
    co_await std::move(turn);
    const Slot slot(*this, fingerprint);
    const auto deadline = Clock::now() + config_.budget;
    auto work = file_in_turn(std::move(draft), deadline);
    co_return co_await std::move(work);
}

asio::awaitable<void> JiraTracker::acquire(std::string fingerprint) {
    for (auto it = in_flight_.find(fingerprint); it != in_flight_.end();
         it = in_flight_.find(fingerprint)) {
        const auto turn = it->second;  // keeps the timer alive while this waiter sleeps on it
        boost::system::error_code ec;
        auto waiting = turn->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_await std::move(waiting);
    }
    const auto executor = co_await asio::this_coro::executor;
    in_flight_.emplace(fingerprint, std::make_shared<InFlight>(executor));
}

void JiraTracker::release(const std::string& fingerprint) {
    const auto it = in_flight_.find(fingerprint);
    if (it == in_flight_.end()) return;
    const auto turn = it->second;
    in_flight_.erase(it);
    turn->done.cancel();
}

asio::awaitable<TicketResult> JiraTracker::file_in_turn(
    TicketDraft draft, Clock::time_point deadline
) {
    const auto fingerprint = draft.fingerprint;
    auto finding = cached_ticket(fingerprint);
    const auto cached = co_await std::move(finding);
    std::vector<std::string> reconcile;
    if (cached && !cached->id.empty()) reconcile.push_back(cached->id);
    auto lookup = search(fingerprint, reconcile, deadline);
    auto found = co_await std::move(lookup);
    if (!found.ok) co_return found.failure;
    auto text = draft.comment.empty() ? draft.description : draft.comment;
    if (!found.issues.empty()) {
        const auto issue = pick_issue(found.issues, cached);
        auto storing = remember(fingerprint, issue);
        co_await std::move(storing);
        auto commenting = comment(issue.key, std::move(text), deadline);
        co_return co_await std::move(commenting);
    }
    if (cached) {
        // Search may lag behind (Data Center has no reconcileIssues): ask for the issue itself.
        auto check = comment_if_open(*cached, std::move(text), deadline);
        auto commented = co_await std::move(check);
        if (commented) co_return *commented;
        auto forgetting = forget(fingerprint);
        co_await std::move(forgetting);
    }
    auto creating = create(std::move(draft), deadline);
    co_return co_await std::move(creating);
}

asio::awaitable<JiraTracker::Search> JiraTracker::search(
    std::string fingerprint, std::vector<std::string> reconcile, Clock::time_point deadline
) {
    auto request = search_request(config_, fingerprint, reconcile);
    auto sending = send_read(std::move(request), deadline);
    const auto out = co_await std::move(sending);
    Search result;
    if (!out.ok() || out.response.status != 200) {
        log_failure("search", out);
        result.failure = describe_failure(out, config_, Step::search);
        co_return result;
    }
    auto issues = parse_search(out.response.body);
    if (!issues) {
        log::warn("Jira search answer unreadable: {}", issues.error());
        result.failure = failed(TicketStatus::unavailable, "Jira sent an unreadable answer");
        co_return result;
    }
    result.ok = true;
    result.issues = std::move(issues).value();
    std::erase_if(result.issues, [](const IssueRef& issue) { return issue.done; });
    co_return result;
}

asio::awaitable<std::optional<TicketResult>> JiraTracker::comment_if_open(
    IssueRef cached, std::string text, Clock::time_point deadline
) {
    auto request = get_issue_request(config_, cached.key);
    auto sending = send_read(std::move(request), deadline);
    const auto out = co_await std::move(sending);
    std::optional<TicketResult> result;
    if (out.ok() && out.response.status == 404) co_return result;  // deleted meanwhile
    if (!out.ok() || out.response.status != 200) {
        log_failure("get issue", out);
        result = describe_failure(out, config_, Step::get_issue);
        co_return result;
    }
    const auto issue = parse_issue(out.response.body);
    if (!issue) {
        log::warn("Jira issue answer unreadable: {}", issue.error());
        result = failed(TicketStatus::unavailable, "Jira sent an unreadable answer");
        co_return result;
    }
    if (issue->done) co_return result;
    log::info("Jira search has not caught up with {} yet: commenting on it", issue->key);
    auto commenting = comment(issue->key, std::move(text), deadline);
    result = co_await std::move(commenting);
    co_return result;
}

asio::awaitable<TicketResult> JiraTracker::comment(
    std::string key, std::string text, Clock::time_point deadline
) {
    auto request = comment_request(config_, key, text);
    auto sending = send_write(std::move(request), deadline, true);
    const auto out = co_await std::move(sending);
    if (out.ok() && (out.response.status == 201 || out.response.status == 200)) {
        log::info("Jira: commented on {}", key);
        co_return success(TicketStatus::commented, key);
    }
    log_failure("comment", out);
    co_return describe_failure(out, config_, Step::comment);
}

asio::awaitable<TicketResult> JiraTracker::create(TicketDraft draft, Clock::time_point deadline) {
    const auto request = create_request(config_, draft);
    http::Outcome out;
    for (int attempt = 1; attempt <= std::max(1, config_.create_attempts); ++attempt) {
        auto sending = send_write(request, deadline, false);
        out = co_await std::move(sending);
        if (out.ok() && out.response.status == 201) {
            const auto issue = parse_created(out.response.body);
            if (issue) {
                auto storing = remember(draft.fingerprint, *issue);
                co_await std::move(storing);
                log::info("Jira: created {} for {}", issue->key, draft.fingerprint);
                co_return success(TicketStatus::created, issue->key);
            }
            log::warn("Jira create answer unreadable ({}): looking for the ticket", issue.error());
        } else if (!answer_lost(out)) {
            log_failure("create", out);
            co_return describe_failure(out, config_, Step::create);
        } else {
            log_failure("create (answer lost, looking for the ticket)", out);
        }
        // Never send the create again before making sure the first one did not happen.
        auto checking = confirm_created(draft.fingerprint, deadline);
        const auto check = co_await std::move(checking);
        if (check.state == Confirm::State::found) {
            auto storing = remember(draft.fingerprint, check.issue);
            co_await std::move(storing);
            log::info(
                "Jira: created {} for {} (confirmed by search)", check.issue.key, draft.fingerprint
            );
            co_return success(TicketStatus::created, check.issue.key);
        }
        if (check.state == Confirm::State::unknown) break;
    }
    if (out.ok() && out.response.status == 201) {
        co_return failed(
            TicketStatus::unavailable,
            "Jira's answer to the new ticket was unreadable; look in project " + config_.project
        );
    }
    co_return describe_failure(out, config_, Step::create);
}

asio::awaitable<JiraTracker::Confirm> JiraTracker::confirm_created(
    std::string fingerprint, Clock::time_point deadline
) {
    Confirm result;
    auto delay = config_.confirm_delay;
    for (int i = 0; i < std::max(1, config_.confirm_searches); ++i, delay *= 2) {
        if (Clock::now() + delay >= deadline) co_return result;
        auto waiting = pause(delay);
        co_await std::move(waiting);
        const std::vector<std::string> no_ids;
        auto lookup = search(fingerprint, no_ids, deadline);
        const auto found = co_await std::move(lookup);
        if (!found.ok) co_return result;
        if (!found.issues.empty()) {
            result.state = Confirm::State::found;
            result.issue = pick_issue(found.issues, std::nullopt);
            co_return result;
        }
    }
    result.state = Confirm::State::absent;
    co_return result;
}

asio::awaitable<http::Outcome> JiraTracker::send_read(
    http::Request request, Clock::time_point deadline
) {
    const auto left = time_left(deadline);
    if (left <= milliseconds{0}) co_return budget_spent();
    http::RetryPolicy policy;
    policy.budget = left;
    policy.base_delay = config_.retry_base_delay;
    request.timeout = std::min(config_.request_timeout, left);
    auto sending = http::send_with_retry(http_, std::move(request), policy);
    co_return co_await std::move(sending);
}

asio::awaitable<http::Outcome> JiraTracker::send_write(
    http::Request request, Clock::time_point deadline, bool retry_5xx
) {
    std::mt19937_64 rng(std::random_device{}());
    http::RetryPolicy policy;
    policy.base_delay = config_.retry_base_delay;
    http::Outcome out = budget_spent();
    for (int attempt = 1;; ++attempt) {
        const auto left = time_left(deadline);
        if (left <= milliseconds{0}) break;
        request.timeout = std::min(config_.request_timeout, left);
        auto sending = http_.send(request);
        out = co_await std::move(sending);
        out.attempts = attempt;
        const int status = out.ok() ? out.response.status : 0;
        const bool again = status == 429 || (retry_5xx && is_5xx_retryable(status));
        if (!again || attempt >= policy.max_attempts) break;
        const auto retry_after = http::parse_retry_after(
            out.response.header("Retry-After"), std::chrono::system_clock::now()
        );
        const auto delay = http::backoff_delay(attempt, policy, retry_after, rng);
        if (Clock::now() + delay >= deadline) break;
        auto waiting = pause(delay);
        co_await std::move(waiting);
    }
    co_return out;
}

asio::awaitable<void> JiraTracker::pause(milliseconds delay) {
    const auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor, delay);
    auto waiting = timer.async_wait(asio::use_awaitable);
    co_await std::move(waiting);
}

TicketResult JiraTracker::success(TicketStatus status, const std::string& key) const {
    TicketResult r;
    r.status = status;
    r.key = key;
    r.url = browse_url(config_, key);
    return r;
}

void JiraTracker::log_failure(const char* step, const http::Outcome& out) const {
    log::warn(
        "Jira {} failed after {} attempt(s): {} HTTP {} {} {}",
        step,
        out.attempts,
        http::to_string(out.failure),
        out.response.status,
        out.detail,
        safe_error_text(out.response.body, config_)
    );
}

}  // namespace nra::jira
