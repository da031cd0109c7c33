// TicketTracker on Jira Cloud (REST v3) or Data Center (v2). One open ticket per fingerprint:
// search by the fingerprint label first (with the ids this process created in reconcileIssues,
// because Cloud search is eventually consistent), comment when found, create otherwise. A create
// whose answer was lost is confirmed by searching before it is ever sent again, and concurrent
// file() calls for one fingerprint run one after the other. Used from the I/O thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "jira/jira_config.hpp"
#include "jira/jira_response.hpp"
#include "jira/ticket_cache.hpp"
#include "nra/ports/state_store.hpp"
#include "nra/ports/ticket_tracker.hpp"

namespace nra::http {
class Client;
}

namespace nra::jira {

class JiraTracker final : public TicketTracker {
public:
    // `shared` (REDIS_URL): fingerprint → ticket is also kept there, so a ticket one replica
    // created a moment ago is found by the others while Jira's search lags. Null: this process.
    JiraTracker(http::Client& http, JiraConfig config, StateStore* shared = nullptr);
    ~JiraTracker() override;
    JiraTracker(const JiraTracker&) = delete;
    JiraTracker& operator=(const JiraTracker&) = delete;

    boost::asio::awaitable<TicketResult> file(TicketDraft draft) override;

    const JiraConfig& config() const { return config_; }
    std::size_t cached_tickets() const { return cache_.size(); }

private:
    using Clock = std::chrono::steady_clock;
    struct InFlight;  // a timer that waiters for the same fingerprint await
    struct Search {
        bool ok = false;
        std::vector<IssueRef> issues;
        TicketResult failure;
    };
    struct Confirm {
        enum class State { found, absent, unknown } state = State::unknown;
        IssueRef issue;
    };
    class Slot;  // RAII: holds a fingerprint's turn

    boost::asio::awaitable<void> acquire(std::string fingerprint);
    void release(const std::string& fingerprint);

    boost::asio::awaitable<TicketResult> file_in_turn(
        TicketDraft draft, Clock::time_point deadline
    );
    boost::asio::awaitable<Search> search(
        std::string fingerprint, std::vector<std::string> reconcile, Clock::time_point deadline
    );
    // The cached ticket when it is still open; nullopt when it is done or gone. Fails → result.
    boost::asio::awaitable<std::optional<TicketResult>> comment_if_open(
        IssueRef cached, std::string text, Clock::time_point deadline
    );
    boost::asio::awaitable<TicketResult> comment(
        std::string key, std::string text, Clock::time_point deadline
    );
    boost::asio::awaitable<TicketResult> create(TicketDraft draft, Clock::time_point deadline);
    // After a create whose answer was lost: did it happen? Searches, a short delay apart.
    boost::asio::awaitable<Confirm> confirm_created(
        std::string fingerprint, Clock::time_point deadline
    );

    // Reads: retried on 429, 5xx, timeouts and dropped connections (http::send_with_retry).
    boost::asio::awaitable<http::Outcome> send_read(
        http::Request request, Clock::time_point deadline
    );
    // Writes: retried only where Jira cannot have acted (429; 5xx too when `retry_5xx`).
    boost::asio::awaitable<http::Outcome> send_write(
        http::Request request, Clock::time_point deadline, bool retry_5xx
    );
    static boost::asio::awaitable<void> pause(std::chrono::milliseconds delay);

    // The ticket cache: this process's, then the shared one (which refreshes the local one).
    boost::asio::awaitable<std::optional<IssueRef>> cached_ticket(std::string fingerprint);
    boost::asio::awaitable<void> remember(std::string fingerprint, IssueRef issue);
    boost::asio::awaitable<void> forget(std::string fingerprint);

    TicketResult success(TicketStatus status, const std::string& key) const;
    void log_failure(const char* step, const http::Outcome& outcome) const;

    http::Client& http_;
    JiraConfig config_;
    TicketCache cache_;
    StateStore* shared_;
    std::map<std::string, std::shared_ptr<InFlight>> in_flight_;
};

}  // namespace nra::jira
