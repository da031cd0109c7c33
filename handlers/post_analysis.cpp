#include "post_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "nra/baseline_apply.hpp"
#include "nra/summary.hpp"

namespace nra {
namespace {

bool private_conversation(const std::string& channel) {
    return !channel.empty() && (channel.front() == 'D' || channel.front() == 'G');
}

RecentAnalysis facts_of(const Summary& summary, const std::string& channel) {
    const TraceHeadline headline = trace_headline(summary);
    RecentAnalysis facts;
    facts.trace_id = summary.trace_id;
    facts.request = headline.request;
    facts.duration_ms = summary.duration_ms;
    facts.span_count = summary.span_count;
    facts.error_count = static_cast<int>(std::min<long long>(headline.error_spans, 1'000'000'000));
    facts.top_finding = headline.top_finding;
    facts.channel = channel;
    return facts;
}

boost::asio::awaitable<void> upload_picture(
    Services services, AnalysisMessages messages, std::string channel, std::string thread
) {
    FileUpload file;
    file.channel = std::move(channel);
    file.thread_ts = std::move(thread);
    file.filename = fmt::format("waterfall-{}.png", messages.facts.trace_id.substr(0, 8));
    file.title = "Waterfall of " + messages.facts.request;
    file.bytes = std::move(messages.png);
    OutgoingMessage note;  // said where the picture was expected, so nobody waits for it
    note.channel = file.channel;
    note.thread_ts = file.thread_ts;
    const auto uploaded = co_await services.chat.upload_file(std::move(file));
    if (uploaded.ok()) co_return;
    log_warning(
        services,
        fmt::format(
            "the waterfall of trace {} could not be shared ({})",
            messages.facts.trace_id,
            uploaded.code.empty() ? "unavailable" : uploaded.code
        )
    );
    note.text = fmt::format(
        "The waterfall picture could not be shared here. `nr-analyzer trace {} --png "
        "waterfall.png` draws it.",
        messages.facts.trace_id
    );
    co_await services.chat.post_message(std::move(note));
}

// The usual durations of the summary's spans; nullopt when no source is wired.
boost::asio::awaitable<std::optional<BaselineResult>> fetch_baselines(
    Services services, const Summary& summary, std::string trace_id
) {
    if (services.baselines == nullptr || summary.span_count == 0) co_return std::nullopt;
    BaselineQuery query;
    query.keys = baseline_keys(summary, services.baseline_options.max_keys);
    query.trace_id = std::move(trace_id);
    query.window_hours = services.baseline_options.window_hours;
    co_return co_await services.baselines->baselines(std::move(query));
}

boost::asio::awaitable<void> fetch_into(
    Services services, TraceQuery query, std::shared_ptr<FetchResult> out
) {
    ProgressFn no_progress;  // named: see trace_command.cpp on GCC 12 and braced temporaries
    *out = co_await services.traces.fetch(std::move(query), std::move(no_progress));
}

boost::asio::awaitable<void> post_ephemeral_quietly(
    Services services, std::string user, OutgoingMessage message
) {
    co_await services.chat.post_ephemeral(std::move(user), std::move(message));
}

// The fetch; when it outlasts services.patience, `tell` runs beside it (the Patience port).
boost::asio::awaitable<FetchResult> fetch_with_patience(
    Services services, TraceQuery query, StillWaiting tell
) {
    auto out = std::make_shared<FetchResult>();
    Step step = [services, query = std::move(query), out] {
        return fetch_into(services, query, out);
    };
    if (services.patient) {
        co_await services.patient(std::move(step), services.patience, std::move(tell));
    } else {
        co_await step();
    }
    co_return std::move(*out);
}

}  // namespace

std::string still_waiting_text(const std::string& trace_id) {
    return fmt::format(
        ":hourglass_flowing_sand: Still waiting for New Relic to return trace `{}`. The analysis "
        "follows as soon as it arrives, or a line saying why not.",
        trace_id
    );
}

StillWaiting still_waiting_privately(
    Services services, std::string response_url, std::string trace_id
) {
    if (response_url.empty()) return {};
    return [services, url = std::move(response_url), id = std::move(trace_id)] {
        return respond_privately(services, url, still_waiting_text(id));
    };
}

StillWaiting still_waiting_in_thread(
    Services services,
    std::string user,
    std::string channel,
    std::string thread,
    std::string trace_id
) {
    if (user.empty() || channel.empty()) return {};
    OutgoingMessage message;
    message.channel = std::move(channel);
    message.thread_ts = std::move(thread);
    message.text = still_waiting_text(trace_id);
    return [services, user = std::move(user), message = std::move(message)] {
        return post_ephemeral_quietly(services, user, message);
    };
}

void apply_baseline_result(
    Summary& summary,
    const TraceTree& tree,
    const std::optional<BaselineResult>& result,
    const BaselineOptions& options
) {
    if (!result) return;  // no source: the summary says nothing about baselines
    if (result->status != FetchStatus::found) {
        mark_no_baseline(
            summary,
            BaselineOverview::State::unavailable,
            fmt::format("usual durations could not be fetched ({}).", result->message)
        );
        return;
    }
    apply_baselines(summary, tree, result->stats, options, result->window);
}

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
           "• `/trace &lt;trace id | traceparent | New Relic link&gt;` in a channel: a summary "
           "there and "
           "the detail in its thread.\n"
           "• In an incident thread, mention me with a trace id or a New Relic link (up to 3): "
           "I reply in the thread.\n"
           "• On any message, the *Analyze trace* shortcut analyses the traces it names, in its "
           "thread; pasted New Relic trace links get a short summary.\n"
           "• I find where the time went, slow spans, errors and where they started, and concrete "
           "fixes such as N+1 queries.";
}

std::string not_member_text(std::string_view then) {
    return fmt::format(
        "I am not a member of this channel, so I cannot post there. Invite me with `/invite "
        "@nr-analyzer` and {}.",
        then
    );
}

std::string refused_text(std::string_view ready, const std::string& code) {
    const std::string shown = code.empty() ? std::string("unavailable") : slack_escape(code);
    if (ready.empty()) return fmt::format("Slack refused the message ({}).", shown);
    return fmt::format("The {} is ready but Slack refused the message ({}).", ready, shown);
}

boost::asio::awaitable<void> respond_privately(
    Services services, std::string response_url, std::string text
) {
    ResponseUrlMessage message;
    message.text = std::move(text);  // not in_channel: ephemeral
    co_await services.chat.respond(std::move(response_url), message);
}

boost::asio::awaitable<void> reply_in_thread(
    Services services, BlockAction action, std::string text
) {
    OutgoingMessage message;
    message.channel = action.channel_id;
    message.thread_ts = action.thread_ts.empty() ? action.message_ts : action.thread_ts;
    message.text = std::move(text);
    const auto posted = co_await services.chat.post_message(message);
    if (posted.ok() || action.response_url.empty()) co_return;
    co_await respond_privately(services, action.response_url, message.text);
}

void log_warning(const Services& services, std::string_view line) {
    if (services.log) services.log(line);
}

boost::asio::awaitable<AnalysisOutcome> analyse_trace(
    Services services, AnalysisRequest request, AnalyseFn work
) {
    AnalysisOutcome out;
    const std::string id = request.query.trace_id;
    auto fetching =  // named: see trace_command.cpp on GCC 12 and braced temporaries
        fetch_with_patience(services, std::move(request.query), std::move(request.still_waiting));
    auto fetched = co_await std::move(fetching);
    if (fetched.status != FetchStatus::found || !fetched.tree) {
        out.problem = fmt::format(
            "Could not analyse trace `{}`: {}",
            slack_escape(id, SlackSpan::code),
            slack_escape_marked(fetched.message)
        );
        co_return out;
    }
    out.found = true;
    // Not coroutines: they run on the CPU pool while this frame (fetched, summary, out) waits.
    Summary summary;
    std::function<void()> analyse = [&fetched, &summary] {
        summary = summarize(*fetched.tree);
        summary.notes.insert(summary.notes.end(), fetched.notes.begin(), fetched.notes.end());
    };
    auto analysed = run_offloaded(services.offload, std::move(analyse));  // named: GCC 12
    co_await std::move(analysed);
    auto baselines = fetch_baselines(services, summary, id);  // named: GCC 12
    auto usual = co_await std::move(baselines);
    std::function<void()> finish = [&fetched, &summary, &usual, &out, &work, &request, &services] {
        apply_baseline_result(summary, *fetched.tree, usual, services.baseline_options);
        out.facts = facts_of(summary, request.channel);
        out.complete = summary.complete;
        if (work) work(*fetched.tree, summary);
    };
    auto finished = run_offloaded(services.offload, std::move(finish));  // named: GCC 12
    co_await std::move(finished);
    // Back on the I/O thread, the only one that touches the RecentStore. Everyone in the workspace
    // sees the Home tab: direct messages (D…) and legacy private groups (G…) stay out of it.
    if (services.recent != nullptr && !request.team_id.empty() &&
        !private_conversation(request.channel)) {
        if (services.epoch_seconds) out.facts.at_epoch_s = services.epoch_seconds();
        auto remembering = services.recent->remember(request.team_id, out.facts);  // GCC 12
        co_await std::move(remembering);
    }
    co_return out;
}

boost::asio::awaitable<AnalysisMessages> analyse_for_slack(
    Services services, AnalysisRequest request
) {
    AnalysisMessages out;
    PicturePainter* painter = request.picture ? services.picture : nullptr;
    const RenderOptions render = services.render;
    AnalyseFn work = [&out, painter, &render](const TraceTree& tree, const Summary& summary) {
        out.summary = to_message(render_blocks_summary(summary, render));
        out.detail = to_message(render_blocks_detail(summary, render));
        if (painter != nullptr) out.png = painter->waterfall_png(tree, summary);
    };
    auto analysed = analyse_trace(services, std::move(request), std::move(work));  // GCC 12
    const auto outcome = co_await std::move(analysed);
    out.found = outcome.found;
    out.problem = outcome.problem;
    out.facts = outcome.facts;
    out.complete = outcome.complete;
    co_return out;
}

boost::asio::awaitable<ChatResult> post_analysis(
    Services services, AnalysisMessages messages, std::string channel, std::string thread_ts
) {
    OutgoingMessage summary = messages.summary;
    summary.channel = channel;
    summary.thread_ts = thread_ts;
    const auto posted = co_await services.chat.post_message(summary);
    if (!posted.ok()) co_return posted;
    OutgoingMessage detail = messages.detail;
    detail.channel = posted.channel.empty() ? channel : posted.channel;
    detail.thread_ts = thread_ts.empty() ? posted.ts : thread_ts;
    co_await services.chat.post_message(detail);
    if (!messages.png.empty()) {
        auto upload =
            upload_picture(services, std::move(messages), detail.channel, detail.thread_ts);
        co_await std::move(upload);
    }
    co_return posted;
}

}  // namespace nra
