// Inbound Slack requests to work: the registry's handler for each command, event, button press
// and shortcut answers the ack at once, and its job goes onto the job queue with the one Ports
// struct. Here live what the ack decides: retries and double clicks answered once, per-user
// limits, a replica's claim on an event, and "busy" when the queue is full.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "app/user_limit.hpp"
#include "handler.hpp"
#include "slack/event_dedup.hpp"
#include "slack/events_endpoint.hpp"
#include "slack/job_queue.hpp"

namespace nra {

struct DispatchConfig {
    std::size_t max_jobs_running = 8;  // NR_ANALYZER_JOBS
    std::size_t max_jobs_queued = 64;  // NR_ANALYZER_QUEUE
    // Jobs per Slack user and minute (NR_ANALYZER_USER_LIMIT), decided before the ack and counted
    // again in Ports::state (shared by replicas) when a job starts; 0: no limit.
    int user_limit_per_minute = 20;
    // Channels whose plain messages are read (alerts); every other channel's are dropped unread.
    std::set<std::string> alert_channels;
};

struct DispatchCounters {
    std::size_t duplicates = 0;  // nra_dedup_hits_total
    std::size_t busy = 0;        // nra_busy_total
};

class SlackDispatcher final : public slack::SlackSink {
public:
    using EpochSeconds = std::function<std::int64_t()>;

    // `ports` is the composition root's and outlives every job. `now` (wall-clock seconds, for
    // the per-user limits): empty takes ports.epoch_seconds.
    SlackDispatcher(
        const boost::asio::any_io_executor& executor,
        DispatchConfig config,
        const Ports& ports,
        EpochSeconds now = {}
    );

    slack::SlackReply command(const SlashCommand& command) override;
    slack::SlackReply event(SlackEvent event) override;
    slack::SlackReply action(const BlockAction& action) override;
    slack::SlackReply shortcut(const MessageShortcut& shortcut) override;

    // Waits for queued and running jobs, up to `deadline` (graceful shutdown); then cancels
    // what is left and tells each of its users to ask again (response_url or their thread).
    boost::asio::awaitable<void> drain(std::chrono::milliseconds deadline);

    const DispatchCounters& stats() const { return stats_; }
    const slack::JobQueue& jobs() const { return jobs_; }

private:
    // `ack_speaks`: the ack's text reaches the user (slash commands), so a refusal goes there.
    slack::SlackReply dispatch(Handled handled, Requester who, bool ack_speaks = false);
    void tell_refused(UserLimit::Decision& decision);
    slack::QueuedJob farewell(Requester who) const;
    void count_duplicate();
    void notify_busy(const SlackEvent& event, const std::string& text);

    boost::asio::any_io_executor executor_;
    DispatchConfig config_;
    const Ports& ports_;
    EpochSeconds now_;
    EventDedup dedup_;
    EventDedup clicks_{10'000, std::chrono::seconds(10)};  // button presses (double clicks)
    slack::JobQueue jobs_;
    std::size_t notices_in_flight_ = 0;
    DispatchCounters stats_;
    UserLimit limit_;
};

}  // namespace nra
