#include "post_analysis.hpp"

#include <fmt/format.h>

#include "nra/render/render.hpp"

namespace nra {
namespace {

boost::asio::awaitable<void> upload_picture(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread
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
    const auto uploaded = co_await ports.chat->upload_file(std::move(file));
    if (uploaded.ok()) co_return;
    log_warning(
        ports,
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
    co_await ports.chat->post_message(std::move(note));
}

}  // namespace

namespace {

// The messages of an analysis, rendered on the CPU pool (the picture too when `painter` is set).
boost::asio::awaitable<AnalysisMessages> render_messages(
    const Ports& ports, SharedAnalysis analysis, PicturePainter* painter
) {
    std::function<AnalysisMessages(const Analysis&)> render =
        [painter, options = ports.render](const Analysis& a) {
            AnalysisMessages out;
            out.summary = to_message(render_blocks_summary(a.summary, options));
            out.detail = to_message(render_blocks_detail(a.summary, options));
            if (painter != nullptr) out.png = painter->waterfall_png(a.tree(), a.summary);
            out.facts = a.facts;
            out.complete = a.summary.complete;
            return out;
        };
    auto rendering = on_cpu(ports, std::move(analysis), std::move(render));  // named: GCC 12
    co_return co_await std::move(rendering);
}

// The posted summary and detail, as they read now that the extras arrived (or their time ran
// out), updated in place.
boost::asio::awaitable<void> update_posted(
    const Ports& ports, const PostedAnalysis& posted, const AnalysisMessages& now
) {
    for (const auto* pair : {&posted.summary, &posted.detail}) {
        if (!pair->ok() || pair->ts.empty()) continue;
        OutgoingMessage message = pair == &posted.summary ? now.summary : now.detail;
        message.channel = pair->channel.empty() ? posted.channel : pair->channel;
        message.thread_ts.clear();  // chat.update takes the channel and the message's ts
        const auto updated = co_await ports.chat->update_message(pair->ts, std::move(message));
        if (!updated.ok()) {
            log_warning(
                ports,
                fmt::format(
                    "the analysis of trace {} was not updated with its extras ({})",
                    now.facts.trace_id,
                    updated.code.empty() ? "unavailable" : updated.code
                )
            );
        }
    }
}

}  // namespace

boost::asio::awaitable<Result<AnalysisMessages>> analyse_for_slack(
    const Ports& ports, AnalysisRequest request, bool picture
) {
    const std::string id = request.query.trace_id;
    auto analysing = analyse_trace(ports, std::move(request));  // named: GCC 12
    auto analysed = co_await std::move(analysing);
    if (!analysed) co_return make_error(analysis_problem(id, analysed.error()));
    SharedAnalysis analysis = std::move(*analysed);
    const bool unfinished = analysis->pending != nullptr;
    PicturePainter* painter = picture && !unfinished ? ports.picture : nullptr;
    auto rendering = render_messages(ports, analysis, painter);  // named: GCC 12
    AnalysisMessages out = co_await std::move(rendering);
    if (unfinished) {
        out.unfinished = std::move(analysis);
        out.paint = picture && ports.picture != nullptr;
    }
    co_return out;
}

boost::asio::awaitable<AnalysisMessages> completed_messages(
    const Ports& ports, AnalysisMessages messages
) {
    if (!messages.unfinished) co_return messages;
    auto completing = complete_analysis(ports, messages.unfinished);  // named: GCC 12
    auto completed = co_await std::move(completing);
    PicturePainter* painter = messages.paint ? ports.picture : nullptr;
    auto rendering = render_messages(ports, std::move(completed), painter);  // named: GCC 12
    co_return co_await std::move(rendering);
}

boost::asio::awaitable<PostedAnalysis> post_summary_and_detail(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread_ts
) {
    PostedAnalysis out;
    out.channel = channel;
    OutgoingMessage summary = messages.summary;
    summary.channel = channel;
    summary.thread_ts = thread_ts;
    out.summary = co_await ports.chat->post_message(summary);
    if (out.summary.ok()) {
        if (!out.summary.channel.empty()) out.channel = out.summary.channel;
        out.thread_ts = thread_ts.empty() ? out.summary.ts : thread_ts;
        OutgoingMessage detail = messages.detail;
        detail.channel = out.channel;
        detail.thread_ts = out.thread_ts;
        out.detail = co_await ports.chat->post_message(detail);
    }
    out.messages = std::move(messages);
    co_return out;
}

boost::asio::awaitable<void> finish_posted(const Ports& ports, PostedAnalysis posted) {
    if (!posted.summary.ok()) co_return;
    AnalysisMessages& messages = posted.messages;
    if (messages.unfinished) {
        auto completing = completed_messages(ports, messages);  // named: GCC 12
        AnalysisMessages now = co_await std::move(completing);
        auto updating = update_posted(ports, posted, now);  // named: GCC 12
        co_await std::move(updating);
        messages.png = std::move(now.png);
        messages.facts = std::move(now.facts);
    }
    if (!messages.png.empty()) {
        auto upload = upload_picture(ports, std::move(messages), posted.channel, posted.thread_ts);
        co_await std::move(upload);
    }
}

boost::asio::awaitable<void> finish_or_defer(
    const Ports& ports, PostedAnalysis posted, std::vector<PostedAnalysis>& later
) {
    if (posted.messages.unfinished) {
        later.push_back(std::move(posted));
        co_return;
    }
    auto finishing = finish_posted(ports, std::move(posted));  // named: GCC 12
    co_await std::move(finishing);
}

boost::asio::awaitable<void> finish_all(const Ports& ports, std::vector<PostedAnalysis> later) {
    for (auto& one : later) {
        auto finishing = finish_posted(ports, std::move(one));  // named: GCC 12
        co_await std::move(finishing);
    }
}

boost::asio::awaitable<ChatResult> post_analysis(
    const Ports& ports, AnalysisMessages messages, std::string channel, std::string thread_ts
) {
    auto posting = post_summary_and_detail(ports, std::move(messages), channel, thread_ts);
    PostedAnalysis posted = co_await std::move(posting);
    const ChatResult result = posted.summary;
    auto finishing = finish_posted(ports, std::move(posted));  // named: GCC 12
    co_await std::move(finishing);
    co_return result;
}

}  // namespace nra
