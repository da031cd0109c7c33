// The buttons under a trace summary (render_blocks_summary): "Full waterfall" posts the whole
// critical path and every finding into the summary's thread (as messages, or as a text file when
// they need more than 3), "Re-analyze" fetches an incomplete trace again and updates the summary
// in place. A button's value is all Slack gives back, so it is checked like user input: anything
// but one bare trace id is answered "no longer points at a trace" without a fetch. Posts only go
// to the action's own channel.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "registry.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr const char* kStale = "That button no longer points at a trace.";

// The one bare trace id (lower-case hex, as rendered) a button carries; nothing otherwise.
std::optional<TraceArgument> button_trace(const std::string& value) {
    auto trace = parse_trace_argument(value);
    if (!trace || trace->trace_id != value) return std::nullopt;
    return std::move(trace).value();
}

std::string thread_of(const BlockAction& action) {
    return action.thread_ts.empty() ? action.message_ts : action.thread_ts;
}

// After a refused post: tell the presser why (only they see it).
awaitable<void> explain_refusal(Services services, BlockAction action, ChatResult posted) {
    std::string text =
        posted.error == ChatError::not_in_channel || posted.error == ChatError::channel_not_found
            ? not_member_text("press the button again")
            : refused_text("", posted.code);
    co_await respond_privately(services, action.response_url, std::move(text));
}

// Posts rendered messages (and then `note`, if any) into the summary's thread.
awaitable<void> post_in_thread(
    Services services, BlockAction action, std::vector<std::string> rendered, std::string note
) {
    for (const auto& part : rendered) {
        OutgoingMessage message = to_message(part);
        message.channel = action.channel_id;
        message.thread_ts = thread_of(action);
        const auto posted = co_await services.chat.post_message(message);
        if (!posted.ok()) {
            co_await explain_refusal(services, action, posted);
            co_return;
        }
    }
    if (note.empty()) co_return;
    OutgoingMessage message;
    message.channel = action.channel_id;
    message.thread_ts = thread_of(action);
    message.text = std::move(note);
    co_await services.chat.post_message(message);
}

struct FullAnswer {
    FullRender blocks;
    std::string text;  // set only when the messages do not hold everything
};

awaitable<void> upload_or_post(
    Services services, BlockAction action, std::string id, FullAnswer answer, RecentAnalysis facts
) {
    FileUpload file;
    file.channel = action.channel_id;
    file.thread_ts = thread_of(action);
    file.filename = "trace-" + id + ".txt";
    file.title = "Full analysis of " + facts.request;
    file.initial_comment =
        "The whole critical path and every finding, as text: too long for a few messages.";
    file.bytes = std::move(answer.text);
    const auto uploaded = co_await services.chat.upload_file(std::move(file));
    if (uploaded.ok()) co_return;
    log_warning(
        services,
        fmt::format("the full analysis of trace {} could not be uploaded ({})", id, uploaded.code)
    );
    auto note = fmt::format(
        "The rest of the critical path and findings did not fit into messages, and the file "
        "could not be uploaded. `nr-analyzer trace {}` shows everything.",
        id
    );
    auto posting =
        post_in_thread(services, action, std::move(answer.blocks.messages), std::move(note));
    co_await std::move(posting);
}

awaitable<void> run_waterfall(Services services, BlockAction action, TraceArgument trace) {
    AnalysisRequest request;
    request.query = TraceQuery{trace.trace_id, trace.alternates};
    request.picture = false;
    request.still_waiting = still_waiting_privately(services, action.response_url, trace.trace_id);
    FullAnswer answer;
    const RenderOptions render = services.render;
    AnalyseFn work = [&answer, &render](const TraceTree& /*tree*/, const Summary& summary) {
        answer.blocks = render_blocks_full(summary, render);
        if (!answer.blocks.complete) answer.text = render_text_full(summary, render);
    };
    auto analysing = analyse_trace(services, std::move(request), std::move(work));  // GCC 12
    const auto outcome = co_await std::move(analysing);
    if (!outcome.found) {
        co_await respond_privately(services, action.response_url, outcome.problem);
        co_return;
    }
    if (answer.blocks.complete) {
        std::string no_note;
        auto posting = post_in_thread(services, action, std::move(answer.blocks.messages), no_note);
        co_await std::move(posting);
        co_return;
    }
    auto sending =
        upload_or_post(services, action, trace.trace_id, std::move(answer), outcome.facts);
    co_await std::move(sending);
}

// The detail under a re-analysed summary, headed with what changed.
OutgoingMessage with_heading(OutgoingMessage detail, const std::string& heading) {
    auto blocks = nlohmann::json::parse(detail.blocks, nullptr, false);
    if (blocks.is_array()) {
        nlohmann::json section{
            {"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", heading}}}};
        blocks.insert(blocks.begin(), std::move(section));  // the detail uses ≤ 40 of 50 blocks
        detail.blocks = blocks.dump();
    }
    detail.text = heading + "\n" + detail.text;
    return detail;
}

awaitable<void> run_reanalyze(Services services, BlockAction action, TraceArgument trace) {
    AnalysisRequest request;
    request.query = TraceQuery{trace.trace_id, trace.alternates};
    request.team_id = action.team_id;
    request.channel = action.channel_id;
    request.picture = false;
    request.still_waiting = still_waiting_privately(services, action.response_url, trace.trace_id);
    auto messages = co_await analyse_for_slack(services, std::move(request));
    if (!messages.found) {
        co_await respond_privately(services, action.response_url, messages.problem);
        co_return;
    }
    OutgoingMessage summary = messages.summary;
    summary.channel = action.channel_id;
    const auto updated = co_await services.chat.update_message(action.message_ts, summary);
    if (!updated.ok()) {
        log_warning(
            services,
            fmt::format(
                "re-analyse: the summary of trace {} was not updated ({})",
                trace.trace_id,
                updated.code
            )
        );
    }
    const auto heading = fmt::format(
        "Re-analysed: now {} spans ({})",
        messages.facts.span_count,
        messages.complete ? "complete" : "still incomplete"
    );
    OutgoingMessage detail = with_heading(messages.detail, heading);
    detail.channel = action.channel_id;
    detail.thread_ts = thread_of(action);
    const auto posted = co_await services.chat.post_message(detail);
    if (!posted.ok()) co_await explain_refusal(services, action, posted);
}

using Runner = awaitable<void> (*)(Services, BlockAction, TraceArgument);

Handled handle_trace_button(const BlockAction& action, Runner run) {
    Handled handled;  // a bare 200: the answer comes in the thread (or only to the presser)
    auto trace = button_trace(action.value);
    if (!trace) {
        if (action.response_url.empty()) return handled;
        handled.job = [url = action.response_url](Services services) {
            return respond_privately(std::move(services), url, kStale);
        };
        return handled;
    }
    handled.busy_text =
        "I am busy with other traces right now; press the button again in a minute.";
    handled.job = [action, run, t = std::move(*trace)](Services services) {
        return run(std::move(services), action, t);
    };
    return handled;
}

}  // namespace

Handled handle_trace_waterfall(const BlockAction& action) {
    return handle_trace_button(action, &run_waterfall);
}

Handled handle_trace_reanalyze(const BlockAction& action) {
    return handle_trace_button(action, &run_reanalyze);
}

}  // namespace nra
