// What every Slack entry point returns: an immediate answer (the ack, within Slack's 3 s) and
// optionally a job that runs after the ack on the job queue, with the ports it may use.
// Pure: handlers talk to the outside only through ports.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "nra/baseline.hpp"
#include "nra/chat.hpp"
#include "nra/improve_config.hpp"
#include "nra/ports/baseline_source.hpp"
#include "nra/ports/chat_client.hpp"
#include "nra/ports/metrics_source.hpp"
#include "nra/ports/offload.hpp"
#include "nra/ports/patience.hpp"
#include "nra/ports/picture.hpp"
#include "nra/ports/review_store.hpp"
#include "nra/ports/ticket_tracker.hpp"
#include "nra/ports/trace_source.hpp"
#include "nra/recent_analyses.hpp"
#include "nra/render.hpp"

namespace nra {

// A mention or a message shortcut analyses at most this many traces of one message.
inline constexpr std::size_t kMaxTracesPerMessage = 3;

struct Services {
    TraceSource& traces;
    ChatClient& chat;
    RenderOptions render;
    Offload offload;
    // /improve (null when not wired, e.g. in /trace-only tests)
    MetricsSource* metrics = nullptr;
    TicketTracker* tickets = nullptr;  // null: Jira is not configured
    const ImproveConfig* improve = nullptr;
    PicturePainter* picture = nullptr;    // waterfall PNGs; null: text only
    RecentStore* recent = nullptr;        // App Home's "latest analyses"; null: not kept
    BaselineSource* baselines = nullptr;  // usual span durations; null: summaries without them
    BaselineOptions baseline_options{};
    ReviewStore* reviews = nullptr;  // SLO review decisions; null: the buttons say so
    // Operator log (warn level) for failures users never see, e.g. a refused upload; handlers
    // cannot reach src/log themselves. Empty: dropped. Lines carry no secrets.
    std::function<void(std::string_view)> log{};
    // Wall-clock seconds since the epoch (when an analysis happened, for the App Home). Empty: 0.
    std::function<std::int64_t()> epoch_seconds{};
    // A trace fetch that takes longer than this is announced to the person who asked ("still
    // waiting on New Relic…"), once; 0: never.
    std::chrono::milliseconds patience{10'000};
    Patience patient{};  // runs the notice beside a slow fetch; empty: no notice
};

// Services are passed by value (they hold references to app-lifetime ports): coroutine
// parameters must not be references to the caller's stack.
using Job = std::function<boost::asio::awaitable<void>(Services)>;

struct Ack {
    std::string body;  // JSON answer to Slack (e.g. an ephemeral usage text); empty: bare 200
};

struct Handled {
    Ack ack;
    std::optional<Job> job;
    std::string busy_text;  // said to the user instead when the job queue is full
};

// {"response_type":"ephemeral","text":…}: a reply only the user sees, inside the ack.
std::string ephemeral_ack(const std::string& text);

}  // namespace nra
