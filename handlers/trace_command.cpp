// `/trace <id | link | traceparent>` in a channel: ack at once (ephemeral "analysing…", or the
// usage text for a bad argument), then post the summary in the channel, the detail and the
// waterfall picture in its thread. Without channel membership the summary goes through
// response_url, with a hint.
#include <fmt/format.h>

#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

constexpr const char* kTraceUsage =
    "Usage: `/trace &lt;trace id | traceparent | New Relic trace link&gt;`, e.g. "
    "`/trace 4bf92f3577b34da6a3ce929d0e0e4736`. `/trace help` says more.";

// Posts through response_url when the bot cannot post in the channel itself.
boost::asio::awaitable<void> answer_without_membership(
    const Ports& ports, SlashCommand command, AnalysisMessages messages
) {
    // A response_url post cannot be updated later: the summary waits for its extras.
    auto completing = completed_messages(ports, std::move(messages));  // named: GCC 12
    const AnalysisMessages complete = co_await std::move(completing);
    co_await ports.chat->respond(command.response_url, for_channel(complete.summary));
    ResponseUrlMessage hint;
    hint.text = not_member_text("run `/trace` again for the detail in a thread");
    co_await ports.chat->respond(command.response_url, hint);
}

boost::asio::awaitable<void> run_trace(
    const Ports& ports, SlashCommand command, TraceArgument arg
) {
    // A named request: GCC 12 destroys braced temporaries in a co_await twice.
    AnalysisRequest request;
    request.query = TraceQuery{arg.trace_id, arg.alternates};
    request.team_id = command.team_id;
    request.channel = command.channel_id;
    request.wait_for_extras = ports.extras_grace;  // the rest updates it in place
    request.still_waiting = still_waiting_privately(ports, command.response_url, arg.trace_id);
    auto analysed = co_await analyse_for_slack(ports, std::move(request));
    if (!analysed) {
        ResponseUrlMessage problem;
        problem.text = analysed.error();
        co_await ports.chat->respond(command.response_url, problem);
        co_return;
    }
    const AnalysisMessages& messages = *analysed;
    std::string no_thread;
    auto posting = post_analysis(ports, messages, command.channel_id, std::move(no_thread));
    const auto posted = co_await std::move(posting);
    if (posted.error == ChatError::not_in_channel || posted.error == ChatError::channel_not_found) {
        co_await answer_without_membership(ports, command, messages);
        co_return;
    }
    if (!posted.ok()) {
        ResponseUrlMessage problem;
        problem.text = refused_text("analysis", posted.code);
        co_await ports.chat->respond(command.response_url, problem);
    }
}

}  // namespace

Handled handle_trace_command(const SlashCommand& command) {
    Handled handled;
    const auto text = command.text;
    if (text.find_first_not_of(" \t") == std::string::npos) {
        handled.ack.body = ephemeral_ack(kTraceUsage);
        return handled;
    }
    if (text.find("help") != std::string::npos && text.size() < 16) {
        handled.ack.body = ephemeral_ack(help_text());
        return handled;
    }
    auto arg = parse_trace_argument(text);
    if (!arg) {
        handled.ack.body = ephemeral_ack(fmt::format("That is not a trace id. {}", kTraceUsage));
        return handled;
    }
    handled.ack.body = ephemeral_ack(fmt::format(
        ":hourglass_flowing_sand: Analysing trace `{}`…",
        slack_escape(arg->trace_id, SlackSpan::code)
    ));
    handled.busy_text = "I am busy with other traces right now; try again in a minute.";
    handled.job = [command, a = std::move(arg).value()](const Ports& ports) {
        return run_trace(ports, command, a);
    };
    return handled;
}

}  // namespace nra
