// The "Analyze trace" message shortcut (callback_id analyze_trace): works on any message, replies
// in threads included, which slash commands cannot reach. The analysis of each trace the message
// names (up to 3) goes into that message's thread; whatever concerns only the user who pressed
// it (nothing found, the bot not in the channel) is answered ephemerally through response_url.
#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

boost::asio::awaitable<void> run_shortcut(
    const Ports& ports, MessageShortcut shortcut, std::vector<TraceArgument> args
) {
    const std::string thread =
        shortcut.thread_ts.empty() ? shortcut.message_ts : shortcut.thread_ts;
    std::vector<PostedAnalysis> later;  // summaries with extras still coming: finished last
    for (const auto& arg : args) {
        // A named request: GCC 12 destroys braced temporaries in a co_await twice.
        AnalysisRequest request;
        request.query = TraceQuery{arg.trace_id, arg.alternates};
        request.team_id = shortcut.team_id;
        request.channel = shortcut.channel_id;
        request.wait_for_extras = ports.extras_grace;  // the rest updates it in place
        request.still_waiting = still_waiting_privately(ports, shortcut.response_url, arg.trace_id);
        auto analysed = co_await analyse_for_slack(ports, std::move(request));
        if (!analysed) {
            co_await respond_privately(ports, shortcut.response_url, analysed.error());
            continue;
        }
        auto posting = post_summary_and_detail(
            ports, std::move(analysed).value(), shortcut.channel_id, thread
        );
        PostedAnalysis posted = co_await std::move(posting);
        const ChatResult result = posted.summary;
        auto finishing = finish_or_defer(ports, std::move(posted), later);  // named: GCC 12
        co_await std::move(finishing);
        if (result.error == ChatError::not_in_channel ||
            result.error == ChatError::channel_not_found) {
            auto hint = not_member_text("use *Analyze trace* on the message again");
            co_await respond_privately(ports, shortcut.response_url, std::move(hint));
            break;
        }
        if (!result.ok()) {
            auto text = refused_text("analysis", result.code);
            co_await respond_privately(ports, shortcut.response_url, std::move(text));
            break;
        }
    }
    auto finishing = finish_all(ports, std::move(later));  // named: GCC 12
    co_await std::move(finishing);
}

}  // namespace

Handled handle_message_shortcut(const MessageShortcut& shortcut) {
    Handled handled;  // a bare 200: the answers come in the thread or through response_url
    auto args = find_trace_arguments(shortcut.message_text, kMaxTracesPerMessage);
    if (args.empty()) {
        handled.job = [url = shortcut.response_url](const Ports& ports) {
            return respond_privately(
                ports,
                url,
                "I found no trace id, traceparent or New Relic trace link in that message."
            );
        };
        return handled;
    }
    handled.busy_text =
        "I am busy with other traces right now; try the shortcut again in a minute.";
    handled.job = [shortcut, a = std::move(args)](const Ports& ports) {
        return run_shortcut(ports, shortcut, a);
    };
    return handled;
}

}  // namespace nra
