// The Slack side of the server: `POST /slack/events` (slash commands, interactivity and the Events
// API on one URL, Bolt's convention) plus `GET /healthz`. Verifies the v0 signature over the raw
// body first, answers within milliseconds (url_verification, ssl_check, the handler's ack), drops
// repeated event ids, and hands the real work to the job queue.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "handler.hpp"
#include "http/server.hpp"
#include "log/log_limiter.hpp"
#include "nra/event_dedup.hpp"
#include "nra/ports/state_store.hpp"
#include "slack/inbound.hpp"
#include "slack/job_queue.hpp"
#include "slack/socket_frames.hpp"
#include "slack/user_limit.hpp"

namespace nra::slack {

struct EndpointConfig {
    std::string signing_secret;      // secret: never logged
    std::string app_id;              // SLACK_APP_ID: refuse other apps' requests when set
    std::set<std::string> team_ids;  // SLACK_TEAM_IDS allow-list; empty: any team
    std::size_t max_jobs_running = 8;
    std::size_t max_jobs_queued = 64;
    // Jobs per Slack user and minute (NR_ANALYZER_USER_LIMIT), decided in this process before
    // the ack and counted again in `state` when a job starts; 0: no limit.
    int user_limit_per_minute = 20;
};

struct EndpointCounters {
    std::size_t acks = 0;
    std::size_t bad_signatures = 0;
    std::size_t duplicates = 0;
    std::size_t busy = 0;
};

class EventsEndpoint {
public:
    using EpochSeconds = std::function<std::int64_t()>;

    EventsEndpoint(
        const boost::asio::any_io_executor& executor,
        EndpointConfig config,
        const Ports& ports,  // the composition root's; outlives the endpoint
        EpochSeconds now = {}
    );

    // The HTTP server's request handler (synchronous, fast). Responses to requests with a valid
    // signature say so (ServerResponse::authenticated).
    http::ServerResponse handle(const http::ServerRequest& request);

    // A Socket Mode envelope through the same routing; returns the ack payload (JSON) or "".
    std::string on_socket(const Envelope& envelope);

    // Waits for queued and running jobs, up to `deadline` (graceful shutdown); then cancels
    // what is left and tells each of its users to ask again (response_url or their thread).
    boost::asio::awaitable<void> drain(std::chrono::milliseconds deadline);

    const EndpointCounters& stats() const { return stats_; }

    // GET /readyz answers 503 with this text while it is non-empty (e.g. Socket Mode has not
    // connected yet); unset or empty: ready.
    void set_readiness(std::function<std::string()> not_ready) {
        readiness_ = std::move(not_ready);
    }
    const JobQueue& jobs() const { return jobs_; }

private:
    http::ServerResponse serve(const http::ServerRequest& request);
    std::string on_socket_envelope(const Envelope& envelope);
    std::string own_metrics() const;  // jobs, dedup hits, refused signatures, busy answers
    http::ServerResponse on_slack(const http::ServerRequest& request);
    http::ServerResponse route(Inbound inbound, int retry);
    http::ServerResponse on_command(const SlashCommand& command);
    http::ServerResponse on_event(SlackEvent event);
    http::ServerResponse on_action(const BlockAction& action);
    http::ServerResponse on_shortcut(const MessageShortcut& shortcut);
    // `ack_speaks`: the ack's text reaches the user (slash commands), so a refusal goes there.
    http::ServerResponse dispatch(Handled handled, Requester who, bool ack_speaks = false);
    // Past the user's limit: queues the private notice when there is one to give.
    void tell_refused(UserLimit::Decision& decision);
    // Tells `who` that a shutdown cancelled their request (the job queue's farewell).
    QueuedJob farewell(Requester who) const;
    bool allowed(const std::string& app_id, const std::string& team_id) const;
    void notify_busy(const SlackEvent& event, const std::string& text);

    boost::asio::any_io_executor executor_;
    EndpointConfig config_;
    const Ports& ports_;
    EpochSeconds now_;
    EventDedup dedup_;
    EventDedup clicks_{10'000, std::chrono::seconds(10)};  // button presses (double clicks)
    JobQueue jobs_;
    std::size_t notices_in_flight_ = 0;
    EndpointCounters stats_;
    std::function<std::string()> readiness_;
    UserLimit limit_;
    log::LogLimiter bad_signature_log_;  // anyone can cause these: one line per interval
};

}  // namespace nra::slack
