#include "slack/events_endpoint.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <variant>

#include "log/log.hpp"
#include "obs/metrics.hpp"
#include "slack/signature.hpp"

namespace nra::slack {
namespace {

http::ServerResponse answer(const SlackReply& reply) {
    http::ServerResponse r;
    r.status = reply.status;
    r.body = reply.body;
    if (reply.body.empty()) r.content_type = "text/plain";
    return r;
}

http::ServerResponse bare(int status) {
    return answer(SlackReply{status, {}});
}

int retry_num(std::string_view header) {
    int n = 0;
    std::from_chars(header.data(), header.data() + header.size(), n);
    return n;
}

std::int64_t system_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch()
    )
        .count();
}

}  // namespace

EventsEndpoint::EventsEndpoint(EndpointConfig config, SlackSink& sink, EpochSeconds now)
    : config_(std::move(config)),
      sink_(sink),
      now_(now ? std::move(now) : EpochSeconds(system_seconds)),
      bad_signature_log_(std::chrono::seconds(10), [this] {
          return std::chrono::milliseconds(std::chrono::seconds(now_()));
      }) {}

bool EventsEndpoint::allowed(const std::string& app_id, const std::string& team_id) const {
    if (!config_.app_id.empty() && app_id != config_.app_id) return false;
    return config_.team_ids.empty() || config_.team_ids.contains(team_id);
}

http::ServerResponse EventsEndpoint::handle(const http::ServerRequest& request) {
    if (request.method != "POST") return bare(405);
    if (config_.signing_secret.empty()) {  // Socket Mode only: nothing is accepted over HTTP
        return answer({404, R"({"error":"Slack requests arrive over Socket Mode"})"});
    }
    const auto check = verify_signature(
        config_.signing_secret,
        request.header("X-Slack-Request-Timestamp"),
        request.header("X-Slack-Signature"),
        request.body,
        now_()
    );
    if (check != SignatureCheck::ok) {
        ++bad_signatures_;  // nra_bad_signatures_total: every one; the log: a few
        obs::registry().count(
            "nra_bad_signatures_total",
            "Requests refused for a missing, forged or stale Slack signature",
            {}
        );
        bad_signature_log_.warn(
            "refused a request from {}: signature {}", request.remote, to_string(check)
        );
        return bare(401);
    }
    auto inbound = parse_inbound(request.header("Content-Type"), request.body);
    if (!inbound) log::warn("unreadable Slack request: {}", inbound.error());
    auto response = inbound
                        ? route(std::move(*inbound), retry_num(request.header("X-Slack-Retry-Num")))
                        : answer({400, R"({"error":"malformed request"})"});
    response.authenticated = true;  // signed with our secret: its connection may idle longer
    return response;
}

// One routing path for both transports: HTTP requests and Socket Mode envelopes.
http::ServerResponse EventsEndpoint::route(Inbound inbound, int retry) {
    if (auto* v = std::get_if<UrlVerification>(&inbound)) {
        return answer({200, nlohmann::json{{"challenge", v->challenge}}.dump()});
    }
    if (std::holds_alternative<SslCheck>(inbound)) return bare(200);
    if (auto* command = std::get_if<SlashCommand>(&inbound)) {
        if (!allowed(command->api_app_id, command->team_id)) return bare(403);
        return answer(sink_.command(*command));
    }
    if (auto* event = std::get_if<SlackEvent>(&inbound)) {
        if (!allowed(event->api_app_id, event->team_id)) return bare(403);
        event->retry_num = retry;
        return answer(sink_.event(std::move(*event)));
    }
    if (auto* other = std::get_if<OtherEvent>(&inbound)) {
        if (!allowed(other->api_app_id, other->team_id)) return bare(403);
        log::info("ignored Slack event type {}", other->type);
        return bare(200);
    }
    auto& interactive = std::get<Interactive>(inbound);
    if (!allowed(interactive.api_app_id, interactive.team_id)) return bare(403);
    if (interactive.action) return answer(sink_.action(*interactive.action));
    if (interactive.shortcut) return answer(sink_.shortcut(*interactive.shortcut));
    log::info("ignored an interactivity payload of type {}", interactive.type);
    return bare(200);
}

std::string EventsEndpoint::on_socket(const Envelope& envelope) {
    const auto start = std::chrono::steady_clock::now();
    std::string ack;
    auto inbound = parse_socket_payload(envelope.type, envelope.payload);
    if (!inbound) {
        log::warn("unreadable Socket Mode envelope: {}", inbound.error());
    } else {
        auto response = route(std::move(*inbound), envelope.retry_attempt);
        if (response.status == 403) {
            log::warn("refused a Socket Mode envelope from another app or team");
        }
        if (response.status == 200 && response.content_type != "text/plain") {
            ack = std::move(response.body);
        }
    }
    obs::record_request("socket", ack.empty() ? 204 : 200, start);
    return ack;
}

}  // namespace nra::slack
