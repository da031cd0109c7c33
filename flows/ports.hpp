// The one bundle of ports every flow and entry point works with, built once by the composition
// root (serve, the CLI commands, the tests' harness) and passed by const reference: it lives as
// long as the process (or the test), longer than any job, so a coroutine may keep the reference.
// Pure: only port interfaces and plain options.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "nra/analysis/baseline.hpp"
#include "nra/ports/background.hpp"
#include "nra/ports/baseline_source.hpp"
#include "nra/ports/chat_client.hpp"
#include "nra/ports/context_source.hpp"
#include "nra/ports/metrics_source.hpp"
#include "nra/ports/offload.hpp"
#include "nra/ports/patience.hpp"
#include "nra/ports/picture.hpp"
#include "nra/ports/recent_store.hpp"
#include "nra/ports/review_store.hpp"
#include "nra/ports/state_store.hpp"
#include "nra/ports/ticket_tracker.hpp"
#include "nra/ports/trace_source.hpp"
#include "nra/render/render.hpp"
#include "nra/report/improve_config.hpp"

namespace nra {

struct Ports {
    TraceSource& traces;
    ChatClient* chat = nullptr;  // Slack; null where nothing is posted (the terminal's `trace`)
    RenderOptions render{};
    Offload offload{};  // where reading, analysis and rendering run; empty: inline
    // /improve and SLO reviews (null when not wired: the flows answer "not set up")
    MetricsSource* metrics = nullptr;
    const ImproveConfig* improve = nullptr;
    TicketTracker* tickets = nullptr;     // null: Jira is not configured
    PicturePainter* picture = nullptr;    // waterfall PNGs; null: text only
    RecentStore* recent = nullptr;        // App Home's "latest analyses"; null: not kept
    BaselineSource* baselines = nullptr;  // usual span durations; null: summaries without them
    BaselineOptions baseline_options{};
    // The trace's logs and blast radius; null: summaries without them.
    ContextSource* context = nullptr;
    // How long the flow waits for each extra (logs, blast radius, baselines); the sources get a
    // little less, so their own "timed out" arrives first.
    std::chrono::milliseconds context_deadline{15'000};
    // Slack answers post the summary once the trace is analysed and the extras (baselines,
    // logs, blast radius) had this long; what comes later updates it in place.
    std::chrono::milliseconds extras_grace{2'000};
    Background background{};  // runs the extras beside the analysis; empty: one after another
    ReviewStore* reviews = nullptr;  // SLO review decisions; null: the buttons say so
    // Shared with other replicas (REDIS_URL): claims of events and scheduled runs, breach streaks.
    // Null: this process alone.
    StateStore* state = nullptr;
    // This process's memory (shared with replicas when REDIS_URL is set): alert channels'
    // "already answered" and pace. Null: nothing remembered between messages.
    StateStore* store = nullptr;
    // Operator log (warn level) for failures users never see, e.g. a refused upload; flows and
    // handlers cannot reach src/log themselves. Empty: dropped. Lines carry no secrets.
    std::function<void(std::string_view)> log{};
    // Wall-clock seconds since the epoch (App Home times, SLO reviews). Empty: 0.
    std::function<std::int64_t()> epoch_seconds{};
    // A trace fetch that takes longer than this is announced to the person who asked ("still
    // waiting on New Relic…"), once; 0: never.
    std::chrono::milliseconds patience{10'000};
    Patience patient{};  // runs the notice beside a slow fetch; empty: no notice
};

// Logs through ports.log when it is set.
inline void log_warning(const Ports& ports, std::string_view line) {
    if (ports.log) ports.log(line);
}

}  // namespace nra
