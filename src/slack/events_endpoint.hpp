// The Slack side of the server: `POST /slack/events` (slash commands, interactivity and the Events
// API on one URL, Bolt's convention) and Socket Mode envelopes through the same routing. Verifies
// the v0 signature over the raw body first, answers url_verification and ssl_check, refuses other
// apps and teams, and hands each command, event, button press and shortcut to the SlackSink (the
// dispatcher in the composition root), whose reply is the ack.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "http/server.hpp"
#include "log/log_limiter.hpp"
#include "nra/chat.hpp"
#include "slack/inbound.hpp"
#include "slack/socket_frames.hpp"

namespace nra::slack {

struct EndpointConfig {
    std::string signing_secret;      // secret: never logged
    std::string app_id;              // SLACK_APP_ID: refuse other apps' requests when set
    std::set<std::string> team_ids;  // SLACK_TEAM_IDS allow-list; empty: any team
};

// The ack of one request: a JSON body, or a bare answer when `body` is empty.
struct SlackReply {
    int status = 200;
    std::string body;
};

// Where verified, allowed requests go (answers within Slack's 3 s; real work is queued).
class SlackSink {
public:
    virtual ~SlackSink() = default;
    virtual SlackReply command(const SlashCommand& command) = 0;
    virtual SlackReply event(SlackEvent event) = 0;  // retry_num set
    virtual SlackReply action(const BlockAction& action) = 0;
    virtual SlackReply shortcut(const MessageShortcut& shortcut) = 0;
};

class EventsEndpoint {
public:
    using EpochSeconds = std::function<std::int64_t()>;

    // `sink` outlives the endpoint. `now`: wall-clock seconds (signature timestamps).
    EventsEndpoint(EndpointConfig config, SlackSink& sink, EpochSeconds now = {});

    // POST /slack/events (synchronous, fast). Responses to requests with a valid signature say so
    // (ServerResponse::authenticated).
    http::ServerResponse handle(const http::ServerRequest& request);

    // A Socket Mode envelope through the same routing; returns the ack payload (JSON) or "".
    std::string on_socket(const Envelope& envelope);

    // Forged, missing or stale signatures refused so far (also nra_bad_signatures_total).
    std::size_t bad_signatures() const { return bad_signatures_; }

private:
    http::ServerResponse route(Inbound inbound, int retry);
    bool allowed(const std::string& app_id, const std::string& team_id) const;

    EndpointConfig config_;
    SlackSink& sink_;
    EpochSeconds now_;
    std::size_t bad_signatures_ = 0;
    log::LogLimiter bad_signature_log_;  // anyone can cause these: one line per interval
};

}  // namespace nra::slack
