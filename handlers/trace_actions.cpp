// The buttons under a trace summary (render_blocks_summary): "Full waterfall" posts the whole
// critical path and every finding into the summary's thread (as messages, or as a text file when
// they need more than 3), "Re-analyze" fetches an incomplete trace again and updates the summary
// in place. A button's value is all Slack gives back, so it is checked like user input: anything
// but one bare trace id is answered "no longer points at a trace" without a fetch. Posts only go
// to the action's own channel.
#include <fmt/format.h>

#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"
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
awaitable<void> explain_refusal(const Ports& ports, BlockAction action, ChatResult posted) {
    std::string text =
        posted.error == ChatError::not_in_channel || posted.error == ChatError::channel_not_found
            ? not_member_text("press the button again")
            : refused_text("", posted.code);
    co_await respond_privately(ports, action.response_url, std::move(text));
}

// Posts rendered messages (and then `note`, if any) into the summary's thread.
awaitable<void> post_in_thread(
    const Ports& ports, BlockAction action, std::vector<BlockMessage> rendered, std::string note
) {
    for (const auto& part : rendered) {
        OutgoingMessage message = to_message(part);
        message.channel = action.channel_id;
        message.thread_ts = thread_of(action);
        const auto posted = co_await ports.chat->post_message(message);
        if (!posted.ok()) {
            co_await explain_refusal(ports, action, posted);
            co_return;
        }
    }
    if (note.empty()) co_return;
    OutgoingMessage message;
    message.channel = action.channel_id;
    message.thread_ts = thread_of(action);
    message.text = std::move(note);
    co_await ports.chat->post_message(message);
}

struct FullAnswer {
    FullRender blocks;
    std::string text;  // set only when the messages do not hold everything
};

awaitable<void> upload_or_post(
    const Ports& ports, BlockAction action, std::string id, FullAnswer answer, RecentAnalysis facts
) {
    FileUpload file;
    file.channel = action.channel_id;
    file.thread_ts = thread_of(action);
    file.filename = "trace-" + id + ".txt";
    file.title = "Full analysis of " + facts.request;
    file.initial_comment =
        "The whole critical path and every finding, as text: too long for a few messages.";
    file.bytes = std::move(answer.text);
    const auto uploaded = co_await ports.chat->upload_file(std::move(file));
    if (uploaded.ok()) co_return;
    log_warning(
        ports,
        fmt::format("the full analysis of trace {} could not be uploaded ({})", id, uploaded.code)
    );
    auto note = fmt::format(
        "The rest of the critical path and findings did not fit into messages, and the file "
        "could not be uploaded. `nr-analyzer trace {}` shows everything.",
        id
    );
    auto posting =
        post_in_thread(ports, action, std::move(answer.blocks.messages), std::move(note));
    co_await std::move(posting);
}

FullAnswer full_answer(const Analysis& analysis, const RenderOptions& render) {
    FullAnswer answer;
    answer.blocks = render_blocks_full(analysis.summary, render);
    if (!answer.blocks.complete) answer.text = render_text_full(analysis.summary, render);
    return answer;
}

awaitable<void> run_waterfall(const Ports& ports, BlockAction action, TraceArgument trace) {
    AnalysisRequest request;
    request.query = TraceQuery{trace.trace_id, trace.alternates};
    request.still_waiting = still_waiting_privately(ports, action.response_url, trace.trace_id);
    auto analysing = analyse_trace(ports, std::move(request));  // named: GCC 12
    auto analysed = co_await std::move(analysing);
    if (!analysed) {
        auto problem = analysis_problem(trace.trace_id, analysed.error());
        co_await respond_privately(ports, action.response_url, std::move(problem));
        co_return;
    }
    const RecentAnalysis facts = (*analysed)->facts;
    std::function<FullAnswer(const Analysis&)> render = [options = ports.render](const Analysis& a
                                                        ) { return full_answer(a, options); };
    auto rendering = on_cpu(ports, std::move(*analysed), std::move(render));  // named: GCC 12
    FullAnswer answer = co_await std::move(rendering);
    if (answer.blocks.complete) {
        std::string no_note;
        auto posting = post_in_thread(ports, action, std::move(answer.blocks.messages), no_note);
        co_await std::move(posting);
        co_return;
    }
    auto sending = upload_or_post(ports, action, trace.trace_id, std::move(answer), facts);
    co_await std::move(sending);
}

// The detail under a re-analysed summary, headed with what changed.
OutgoingMessage with_heading(OutgoingMessage detail, const std::string& heading) {
    Blocks& blocks = detail.blocks;
    if (blocks.is_array()) {
        Blocks section{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", heading}}}};
        blocks.insert(blocks.begin(), std::move(section));  // the detail uses ≤ 40 of 50 blocks
    }
    detail.text = heading + "\n" + detail.text;
    return detail;
}

awaitable<void> run_reanalyze(const Ports& ports, BlockAction action, TraceArgument trace) {
    AnalysisRequest request;
    request.query = TraceQuery{trace.trace_id, trace.alternates};
    request.team_id = action.team_id;
    request.channel = action.channel_id;
    request.still_waiting = still_waiting_privately(ports, action.response_url, trace.trace_id);
    auto analysed = co_await analyse_for_slack(ports, std::move(request), false);
    if (!analysed) {
        co_await respond_privately(ports, action.response_url, analysed.error());
        co_return;
    }
    const AnalysisMessages& messages = *analysed;
    OutgoingMessage summary = messages.summary;
    summary.channel = action.channel_id;
    const auto updated = co_await ports.chat->update_message(action.message_ts, summary);
    if (!updated.ok()) {
        log_warning(
            ports,
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
    const auto posted = co_await ports.chat->post_message(detail);
    if (!posted.ok()) co_await explain_refusal(ports, action, posted);
}

using Runner = awaitable<void> (*)(const Ports&, BlockAction, TraceArgument);

Handled handle_trace_button(const BlockAction& action, Runner run) {
    Handled handled;  // a bare 200: the answer comes in the thread (or only to the presser)
    auto trace = button_trace(action.value);
    if (!trace) {
        if (action.response_url.empty()) return handled;
        handled.job = [url = action.response_url](const Ports& ports) {
            return respond_privately(ports, url, kStale);
        };
        return handled;
    }
    handled.busy_text =
        "I am busy with other traces right now; press the button again in a minute.";
    handled.job = [action, run, t = std::move(*trace)](const Ports& ports) {
        return run(ports, action, t);
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
