#include "app/slack_dispatcher.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>

#include "log/log.hpp"
#include "log/request_executor.hpp"
#include "obs/metrics.hpp"
#include "registry.hpp"

namespace nra {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxNotices = 16;  // "busy" replies in flight when the queue is full

slack::SlackReply ack_of(const std::string& body) {
    return slack::SlackReply{200, body};
}

// The job of an event, only on the replica that claims its id first in the shared state (Slack
// may deliver a retry to another replica). Redis trouble never loses the event: the store then
// answers from local memory.
asio::awaitable<void> run_if_claimed(std::string key, Job job, const Ports& ports) {
    const std::string mine = "1";
    const auto ttl = std::chrono::milliseconds(std::chrono::hours(1));  // Slack retries for ~5 min
    const bool first = co_await ports.state->claim(key, mine, ttl);
    if (!first) {
        obs::registry().count(
            "nra_shared_dedup_hits_total", "Events another replica had already claimed", {}
        );
        log::info("{} was claimed by another replica", key);
        co_return;
    }
    co_await job(ports);
}

asio::awaitable<void> post_notice(const Ports& ports, OutgoingMessage message) {
    co_await ports.chat->post_message(std::move(message));
}

struct NoticeDone {
    std::size_t* in_flight;
    void operator()(const std::exception_ptr& error) const {
        --*in_flight;
        if (error) log::warn("a busy notice could not be posted");
    }
};

void count_busy(DispatchCounters& stats) {
    ++stats.busy;
    obs::registry().count("nra_busy_total", "Requests answered busy: the job queue was full", {});
}

}  // namespace

SlackDispatcher::SlackDispatcher(
    const asio::any_io_executor& executor,
    DispatchConfig config,
    const Ports& ports,
    EpochSeconds now
)
    : executor_(executor),
      config_(config),
      ports_(ports),
      now_(now ? std::move(now) : ports.epoch_seconds),
      jobs_(executor, config_.max_jobs_running, config_.max_jobs_queued),
      limit_(config_.user_limit_per_minute, ports.state, [this] { return now_ ? now_() : 0; }) {}

void SlackDispatcher::count_duplicate() {
    ++stats_.duplicates;
    obs::registry().count(
        "nra_dedup_hits_total",
        "Slack retries and double clicks answered without doing the work again",
        {}
    );
}

slack::QueuedJob SlackDispatcher::farewell(Requester who) const {
    return [tell = tell_privately_job(std::move(who), kRestartedText), ports = &ports_]() {
        return tell(*ports);
    };
}

void SlackDispatcher::tell_refused(UserLimit::Decision& decision) {
    if (!decision.tell) return;
    auto tell = std::move(*decision.tell);
    if (!jobs_.try_push([tell, ports = &ports_]() { return tell(*ports); })) count_busy(stats_);
}

slack::SlackReply SlackDispatcher::action(const BlockAction& action) {
    const auto* handler = find_action(action.action_id);
    if (handler == nullptr) {
        log::info("ignored the action {}", action.action_id);
        return {};
    }
    // A double click sends the same press twice within a second: do the work once.
    const std::string press = action.action_id + '\n' + action.user_id + '\n' + action.channel_id +
                              '\n' + action.message_ts + '\n' + action.value;
    if (!clicks_.first_time(press, EventDedup::Clock::now())) {
        count_duplicate();
        log::info("repeated press of {} ignored", action.action_id);
        return {};
    }
    return dispatch(
        handler->handle(action),
        Requester{
            action.team_id,
            action.user_id,
            action.channel_id,
            action.thread_ts,
            action.response_url}
    );
}

slack::SlackReply SlackDispatcher::shortcut(const MessageShortcut& shortcut) {
    const auto* handler = find_shortcut(shortcut.callback_id);
    if (handler == nullptr) {
        log::info("ignored the shortcut {}", shortcut.callback_id);
        return {};
    }
    return dispatch(
        handler->handle(shortcut),
        Requester{
            shortcut.team_id, shortcut.user_id, shortcut.channel_id, "", shortcut.response_url}
    );
}

slack::SlackReply SlackDispatcher::command(const SlashCommand& command) {
    const auto* handler = find_command(command.command);
    if (handler == nullptr) {
        log::info("unknown command {}", command.command);
        return ack_of(ephemeral_ack(
            fmt::format("I do not know `{}`.", slack_escape(command.command, SlackSpan::code))
        ));
    }
    return dispatch(
        handler->handle(command),
        Requester{command.team_id, command.user_id, command.channel_id, "", command.response_url},
        true
    );
}

// Queues the handler's job (busy answer when full) and returns its ack.
slack::SlackReply SlackDispatcher::dispatch(Handled handled, Requester who, bool ack_speaks) {
    if (handled.job) {
        auto decision = limit_.admit(who);
        if (decision.refused) {
            if (ack_speaks) return ack_of(ephemeral_ack(decision.text));
            tell_refused(decision);
            return {};
        }
        auto goodbye = farewell(who);
        auto job = limit_.guarded(std::move(*handled.job), std::move(who));
        const bool queued =
            jobs_.try_push([job, ports = &ports_]() { return job(*ports); }, std::move(goodbye));
        if (!queued) {
            count_busy(stats_);
            return ack_of(ephemeral_ack(handled.busy_text));
        }
    }
    return ack_of(handled.ack.body);
}

void SlackDispatcher::notify_busy(const SlackEvent& event, const std::string& text) {
    count_busy(stats_);
    if (text.empty() || notices_in_flight_ >= kMaxNotices) return;
    OutgoingMessage message;
    message.channel = event.channel;
    message.thread_ts = event.thread_ts.empty() ? event.ts : event.thread_ts;
    message.text = text;
    ++notices_in_flight_;
    asio::co_spawn(
        log::with_request_id(executor_, log::current_request_id()),
        post_notice(ports_, std::move(message)),
        NoticeDone{&notices_in_flight_}
    );
}

slack::SlackReply SlackDispatcher::event(SlackEvent event) {
    // Plain messages are read in alert channels only; anywhere else they are never looked at.
    if (event.type == "message" && !config_.alert_channels.contains(event.channel)) return {};
    // Slack retries after ~0 s, 1 min and 5 min; one reply per event id, whatever arrives.
    if (!dedup_.first_time(event.event_id, EventDedup::Clock::now())) {
        count_duplicate();
        log::info("duplicate event {} (retry {}) ignored", event.event_id, event.retry_num);
        return {};
    }
    const auto* handler = find_event(event.type);
    if (handler == nullptr) return {};
    auto handled = handler->handle(event);
    if (!handled.job) return {};
    auto job = std::move(*handled.job);
    slack::QueuedJob goodbye;  // mentions and messages: their user hears if a shutdown cancels it
    // What people ask for in mentions counts against their limit; App Home views do not, nor do
    // alerts (mostly from bots), which their flow paces per channel.
    if (event.type == "app_mention") {
        const auto thread = event.thread_ts.empty() ? event.ts : event.thread_ts;
        Requester who{event.team_id, event.user, event.channel, thread, ""};
        auto decision = limit_.admit(who);
        if (decision.refused) {
            tell_refused(decision);
            return {};
        }
        goodbye = farewell(who);
        job = limit_.guarded(std::move(job), std::move(who));
    }
    const bool queued = jobs_.try_push(
        [job, ports = &ports_, key = "event:" + event.event_id]() {
            return ports->state != nullptr ? run_if_claimed(key, job, *ports) : job(*ports);
        },
        std::move(goodbye)
    );
    if (!queued) {
        if (event.type == "message") {
            log::warn("alert channel {}: job queue full, an alert was not analysed", event.channel);
        }
        notify_busy(event, handled.busy_text);
    }
    return {};
}

asio::awaitable<void> SlackDispatcher::drain(std::chrono::milliseconds deadline) {
    co_await jobs_.drained(deadline);
    if (jobs_.abandoned() > 0) {
        log::warn("shutdown: {} unfinished job(s) cancelled, their users told", jobs_.abandoned());
    }
}

}  // namespace nra
