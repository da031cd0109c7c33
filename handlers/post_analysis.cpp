#include "post_analysis.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "nra/summary.hpp"

namespace nra {

OutgoingMessage to_message(const std::string& rendered) {
    OutgoingMessage message;
    const auto doc = nlohmann::json::parse(rendered, nullptr, false);
    if (!doc.is_object()) {
        message.text = rendered;
        return message;
    }
    message.text = doc.value("text", "");
    if (doc.contains("blocks")) message.blocks = doc["blocks"].dump();
    return message;
}

std::string help_text() {
    return "*nr-analyzer* reads New Relic distributed traces for you.\n"
           "• `/trace <trace id | traceparent | New Relic link>` in a channel: a summary there and "
           "the detail in its thread.\n"
           "• In an incident thread, mention me with a trace id or a New Relic link (up to 3): "
           "I reply in the thread.\n"
           "• I find where the time went, slow spans, errors and where they started, and concrete "
           "fixes such as N+1 queries.";
}

boost::asio::awaitable<AnalysisMessages> analyse_for_slack(Services services, TraceQuery query) {
    AnalysisMessages out;
    const std::string id = query.trace_id;
    ProgressFn no_progress;  // named: see trace_command.cpp on GCC 12 and braced temporaries
    auto fetched = co_await services.traces.fetch(std::move(query), std::move(no_progress));
    if (fetched.status != FetchStatus::found || !fetched.tree) {
        out.problem = fmt::format("Could not analyse trace `{}`: {}", id, fetched.message);
        co_return out;
    }
    out.found = true;
    // Not a coroutine: it runs on the CPU pool while this frame (fetched, out) waits for it.
    std::function<void()> analyse = [&fetched, &out, &services] {
        auto summary = summarize(*fetched.tree);
        summary.notes.insert(summary.notes.end(), fetched.notes.begin(), fetched.notes.end());
        out.summary = to_message(render_blocks_summary(summary, services.render));
        out.detail = to_message(render_blocks_detail(summary, services.render));
    };
    auto analysed = run_offloaded(services.offload, std::move(analyse));  // named: GCC 12
    co_await std::move(analysed);
    co_return out;
}

}  // namespace nra
