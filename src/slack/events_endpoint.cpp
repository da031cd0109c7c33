#include "slack/events_endpoint.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <charconv>
#include <nlohmann/json.hpp>
#include <variant>

#include "log/log.hpp"
#include "log/request_executor.hpp"
#include "obs/metrics.hpp"
#include "registry.hpp"
#include "slack/inbound.hpp"
#include "slack/signature.hpp"

namespace nra::slack {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxNotices = 16;  // "busy" replies in flight when the queue is full

http::ServerResponse json_response(int status, std::string body) {
    http::ServerResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

http::ServerResponse empty(int status) {
    http::ServerResponse r;
    r.status = status;
    r.content_type = "text/plain";
    return r;
}

// The route as a metrics label: a fixed set, never the raw path (which is user input).
std::string route_label(std::string_view path) {
    if (path == "/slack/events") return "slack_events";
    if (path == "/healthz") return "healthz";
    if (path == "/readyz") return "readyz";
    if (path == "/metrics") return "metrics";
    return "other";
}

void record_request(
    const std::string& route, int status, std::chrono::steady_clock::time_point start
) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    auto& metrics = obs::registry();
    metrics.count(
        "nra_requests_total",
        "Requests answered, by route (socket: Socket Mode envelopes) and HTTP status",
        {{"route", route}, {"status", std::to_string(status)}}
    );
    metrics.observe(
        "nra_ack_seconds",
        "Time from a request's arrival to its answer (Slack waits 3 s)",
        {{"route", route}},
        took.count(),
        obs::ack_buckets()
    );
}

// The job of an event, only on the replica that claims its id first in the shared state (Slack
// may deliver a retry to another replica). Redis trouble never loses the event: the store then
// answers from local memory.
asio::awaitable<void> run_if_claimed(
    StateStore* state, std::string key, Job job, const Ports& ports
) {
    const std::string mine = "1";
    const auto ttl = std::chrono::milliseconds(std::chrono::hours(1));  // Slack retries for ~5 min
    const bool first = co_await state->claim(key, mine, ttl);
    if (!first) {
        obs::registry().count(
            "nra_shared_dedup_hits_total", "Events another replica had already claimed", {}
        );
        log::info("{} was claimed by another replica", key);
        co_return;
    }
    co_await job(ports);
}

// A gauge or counter line of this endpoint's own state.
std::string metric_line(const char* name, const char* type, const char* help, double value) {
    return fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, type, value);
}

int retry_num(std::string_view header) {
    int n = 0;
    std::from_chars(header.data(), header.data() + header.size(), n);
    return n;
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

}  // namespace

EventsEndpoint::EventsEndpoint(
    const asio::any_io_executor& executor,
    EndpointConfig config,
    const Ports& ports,
    EpochSeconds now
)
    : executor_(executor),
      config_(std::move(config)),
      ports_(ports),
      now_(std::move(now)),
      jobs_(executor, config_.max_jobs_running, config_.max_jobs_queued),
      limit_(config_.user_limit_per_minute, ports.state, [this] { return now_(); }),
      bad_signature_log_(std::chrono::seconds(10), [this] {
          return std::chrono::milliseconds(std::chrono::seconds(now_()));
      }) {
    if (!now_) {
        now_ = [] {
            return std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()
            )
                .count();
        };
    }
}

QueuedJob EventsEndpoint::farewell(Requester who) const {
    return [tell = tell_privately_job(std::move(who), kRestartedText), ports = &ports_]() {
        return tell(*ports);
    };
}

void EventsEndpoint::tell_refused(UserLimit::Decision& decision) {
    if (!decision.tell) return;
    auto tell = std::move(*decision.tell);
    if (!jobs_.try_push([tell, ports = &ports_]() { return tell(*ports); })) ++stats_.busy;
}

http::ServerResponse EventsEndpoint::handle(const http::ServerRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    auto response = serve(request);
    record_request(route_label(request.path()), response.status, start);
    return response;
}

http::ServerResponse EventsEndpoint::serve(const http::ServerRequest& request) {
    const auto path = request.path();
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == "/healthz" && get) {
        return json_response(200, R"({"status":"ok"})");
    }
    if (path == "/readyz" && get) {
        const auto problem = readiness_ ? readiness_() : std::string();
        if (!problem.empty()) return json_response(503, nlohmann::json{{"status", problem}}.dump());
        return json_response(200, R"({"status":"ready"})");
    }
    if (path == "/metrics" && get) {
        http::ServerResponse r;
        r.content_type = "text/plain; version=0.0.4";
        r.body = obs::registry().render() + own_metrics();
        return r;
    }
    if (path == "/slack/events") {
        if (request.method != "POST") return empty(405);
        return on_slack(request);
    }
    return json_response(404, R"({"error":"not found"})");
}

bool EventsEndpoint::allowed(const std::string& app_id, const std::string& team_id) const {
    if (!config_.app_id.empty() && app_id != config_.app_id) return false;
    return config_.team_ids.empty() || config_.team_ids.contains(team_id);
}

http::ServerResponse EventsEndpoint::on_slack(const http::ServerRequest& request) {
    if (config_.signing_secret.empty()) {  // Socket Mode only: nothing is accepted over HTTP
        return json_response(404, R"({"error":"Slack requests arrive over Socket Mode"})");
    }
    const auto check = verify_signature(
        config_.signing_secret,
        request.header("X-Slack-Request-Timestamp"),
        request.header("X-Slack-Signature"),
        request.body,
        now_()
    );
    if (check != SignatureCheck::ok) {
        ++stats_.bad_signatures;  // nra_bad_signatures_total: every one; the log: a few
        bad_signature_log_.warn(
            "refused a request from {}: signature {}", request.remote, to_string(check)
        );
        return empty(401);
    }
    auto inbound = parse_inbound(request.header("Content-Type"), request.body);
    if (!inbound) log::warn("unreadable Slack request: {}", inbound.error());
    auto answer = inbound
                      ? route(std::move(*inbound), retry_num(request.header("X-Slack-Retry-Num")))
                      : json_response(400, R"({"error":"malformed request"})");
    answer.authenticated = true;  // signed with our secret: its connection may idle longer
    return answer;
}

// One routing path for both transports: HTTP requests and Socket Mode envelopes.
http::ServerResponse EventsEndpoint::route(Inbound inbound, int retry) {
    ++stats_.acks;
    if (auto* v = std::get_if<UrlVerification>(&inbound)) {
        return json_response(200, nlohmann::json{{"challenge", v->challenge}}.dump());
    }
    if (std::holds_alternative<SslCheck>(inbound)) return empty(200);
    if (auto* command = std::get_if<SlashCommand>(&inbound)) {
        if (!allowed(command->api_app_id, command->team_id)) return empty(403);
        return on_command(*command);
    }
    if (auto* event = std::get_if<SlackEvent>(&inbound)) {
        if (!allowed(event->api_app_id, event->team_id)) return empty(403);
        event->retry_num = retry;
        return on_event(std::move(*event));
    }
    if (auto* other = std::get_if<OtherEvent>(&inbound)) {
        if (!allowed(other->api_app_id, other->team_id)) return empty(403);
        log::info("ignored Slack event type {}", other->type);
        return empty(200);
    }
    auto& interactive = std::get<Interactive>(inbound);
    if (!allowed(interactive.api_app_id, interactive.team_id)) return empty(403);
    if (interactive.action) return on_action(*interactive.action);
    if (interactive.shortcut) return on_shortcut(*interactive.shortcut);
    log::info("ignored an interactivity payload of type {}", interactive.type);
    return empty(200);
}

std::string EventsEndpoint::own_metrics() const {
    std::string out;
    out +=
        metric_line("nra_jobs_queued", "gauge", "Jobs waiting for a slot", double(jobs_.queued()));
    out += metric_line("nra_jobs_running", "gauge", "Jobs running", double(jobs_.running()));
    out += metric_line(
        "nra_jobs_failed_total",
        "counter",
        "Jobs that ended with an exception",
        double(jobs_.failed())
    );
    out += metric_line(
        "nra_dedup_hits_total",
        "counter",
        "Slack retries and double clicks answered without doing the work again",
        double(stats_.duplicates)
    );
    out += metric_line(
        "nra_bad_signatures_total",
        "counter",
        "Requests refused for a missing, forged or stale Slack signature",
        double(stats_.bad_signatures)
    );
    out += metric_line(
        "nra_busy_total",
        "counter",
        "Requests answered busy: the job queue was full",
        double(stats_.busy)
    );
    return out;
}

std::string EventsEndpoint::on_socket(const Envelope& envelope) {
    const auto start = std::chrono::steady_clock::now();
    auto answer = on_socket_envelope(envelope);
    record_request("socket", answer.empty() ? 204 : 200, start);
    return answer;
}

std::string EventsEndpoint::on_socket_envelope(const Envelope& envelope) {
    auto inbound = parse_socket_payload(envelope.type, envelope.payload);
    if (!inbound) {
        log::warn("unreadable Socket Mode envelope: {}", inbound.error());
        return {};
    }
    auto answer = route(std::move(*inbound), envelope.retry_attempt);
    if (answer.status == 403) log::warn("refused a Socket Mode envelope from another app or team");
    if (answer.status != 200 || answer.content_type == "text/plain") return {};
    return std::move(answer.body);
}

http::ServerResponse EventsEndpoint::on_action(const BlockAction& action) {
    const auto* handler = find_action(action.action_id);
    if (handler == nullptr) {
        log::info("ignored the action {}", action.action_id);
        return empty(200);
    }
    // A double click sends the same press twice within a second: do the work once.
    const std::string press = action.action_id + '\n' + action.user_id + '\n' + action.channel_id +
                              '\n' + action.message_ts + '\n' + action.value;
    if (!clicks_.first_time(press, EventDedup::Clock::now())) {
        ++stats_.duplicates;
        log::info("repeated press of {} ignored", action.action_id);
        return empty(200);
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

http::ServerResponse EventsEndpoint::on_shortcut(const MessageShortcut& shortcut) {
    const auto* handler = find_shortcut(shortcut.callback_id);
    if (handler == nullptr) {
        log::info("ignored the shortcut {}", shortcut.callback_id);
        return empty(200);
    }
    return dispatch(
        handler->handle(shortcut),
        Requester{
            shortcut.team_id, shortcut.user_id, shortcut.channel_id, "", shortcut.response_url}
    );
}

http::ServerResponse EventsEndpoint::on_command(const SlashCommand& command) {
    const auto* handler = find_command(command.command);
    if (handler == nullptr) {
        log::info("unknown command {}", command.command);
        return json_response(
            200,
            ephemeral_ack(
                fmt::format("I do not know `{}`.", slack_escape(command.command, SlackSpan::code))
            )
        );
    }
    return dispatch(
        handler->handle(command),
        Requester{command.team_id, command.user_id, command.channel_id, "", command.response_url},
        true
    );
}

// Queues the handler's job (busy answer when full) and returns its ack.
http::ServerResponse EventsEndpoint::dispatch(Handled handled, Requester who, bool ack_speaks) {
    if (handled.job) {
        auto decision = limit_.admit(who);
        if (decision.refused) {
            if (ack_speaks) return json_response(200, ephemeral_ack(decision.text));
            tell_refused(decision);
            return empty(200);
        }
        auto goodbye = farewell(who);
        auto job = limit_.guarded(std::move(*handled.job), std::move(who));
        const bool queued =
            jobs_.try_push([job, ports = &ports_]() { return job(*ports); }, std::move(goodbye));
        if (!queued) {
            ++stats_.busy;
            return json_response(200, ephemeral_ack(handled.busy_text));
        }
    }
    if (handled.ack.body.empty()) return empty(200);
    return json_response(200, handled.ack.body);
}

void EventsEndpoint::notify_busy(const SlackEvent& event, const std::string& text) {
    ++stats_.busy;
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

http::ServerResponse EventsEndpoint::on_event(SlackEvent event) {
    // Slack retries after ~0 s, 1 min and 5 min; one reply per event id, whatever arrives.
    if (!dedup_.first_time(event.event_id, EventDedup::Clock::now())) {
        ++stats_.duplicates;
        log::info("duplicate event {} (retry {}) ignored", event.event_id, event.retry_num);
        return empty(200);
    }
    const auto* handler = find_event(event.type);
    if (handler == nullptr) return empty(200);
    auto handled = handler->handle(event);
    if (handled.job) {
        auto job = std::move(*handled.job);
        QueuedJob goodbye;  // mentions and messages: their user hears if a shutdown cancels it
        // What people ask for in messages counts against their limit; App Home views do not.
        if (event.type == "app_mention" || event.type == "message") {
            const auto thread = event.thread_ts.empty() ? event.ts : event.thread_ts;
            Requester who{event.team_id, event.user, event.channel, thread, ""};
            auto decision = limit_.admit(who);
            if (decision.refused) {
                tell_refused(decision);
                return empty(200);
            }
            goodbye = farewell(who);
            job = limit_.guarded(std::move(job), std::move(who));
        }
        auto* state = ports_.state;
        const auto key = "event:" + event.event_id;
        const bool queued = jobs_.try_push(
            [job, ports = &ports_, state, key]() {
                return state != nullptr ? run_if_claimed(state, key, job, *ports) : job(*ports);
            },
            std::move(goodbye)
        );
        if (!queued) {
            notify_busy(event, handled.busy_text);
        }
    }
    return empty(200);
}

asio::awaitable<void> EventsEndpoint::drain(std::chrono::milliseconds deadline) {
    co_await jobs_.drained(deadline);
    if (jobs_.abandoned() > 0) {
        log::warn("shutdown: {} unfinished job(s) cancelled, their users told", jobs_.abandoned());
    }
}

}  // namespace nra::slack
