// "@nr-analyzer <ids or New Relic links>" anywhere, incident threads included: the analysis of
// each trace (up to 3: summary, detail, picture) as replies in that thread; "@nr-analyzer what's
// wrong with <service>?" without ids: /incident's answer in the thread. Messages from bots
// (ourselves included) are ignored; a mention without anything recognisable gets a one-line hint.
#include <fmt/format.h>

#include "incident_words.hpp"
#include "nra/render/render.hpp"
#include "nra/trace_argument.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

boost::asio::awaitable<void> reply(
    const Ports& ports, std::string channel, std::string thread, std::string text
) {
    OutgoingMessage message;
    message.channel = std::move(channel);
    message.thread_ts = std::move(thread);
    message.text = std::move(text);
    co_await ports.chat->post_message(message);
}

boost::asio::awaitable<void> run_mention(
    const Ports& ports, SlackEvent event, std::vector<TraceArgument> args
) {
    const std::string thread = event.thread_ts.empty() ? event.ts : event.thread_ts;
    std::vector<PostedAnalysis> later;  // summaries with extras still coming: finished last
    for (const auto& arg : args) {
        // A named request: GCC 12 destroys braced temporaries in a co_await twice.
        AnalysisRequest request;
        request.query = TraceQuery{arg.trace_id, arg.alternates};
        request.team_id = event.team_id;
        request.channel = event.channel;
        request.wait_for_extras = ports.extras_grace;  // the rest updates it in place
        request.still_waiting =
            still_waiting_in_thread(ports, event.user, event.channel, thread, arg.trace_id);
        auto analysed = co_await analyse_for_slack(ports, std::move(request));
        if (!analysed) {
            co_await reply(ports, event.channel, thread, analysed.error());
            continue;
        }
        auto posting =
            post_summary_and_detail(ports, std::move(analysed).value(), event.channel, thread);
        PostedAnalysis posted = co_await std::move(posting);
        auto finishing = finish_or_defer(ports, std::move(posted), later);  // named: GCC 12
        co_await std::move(finishing);
    }
    auto finishing = finish_all(ports, std::move(later));  // named: GCC 12
    co_await std::move(finishing);
}

awaitable<void> run_incident_mention(
    const Ports& ports, SlackEvent event, std::string thread, IncidentRequest request
) {
    auto reacting = ports.chat->add_reaction(event.channel, event.ts, "eyes");  // named: GCC 12
    co_await std::move(reacting);
    auto answering = answer_incident(ports, std::move(request), event.channel, thread, "");
    co_await std::move(answering);
}

// "@nr-analyzer what's wrong with checkout?": an eyes reaction at once, then /incident's
// answer in the thread.
Handled incident_mention(
    const SlackEvent& event, const std::string& thread, const std::string& asked
) {
    Handled handled;
    auto words = parse_incident_words(asked);
    if (!words.problem.empty()) {
        auto text =
            slack_escape_marked(words.problem) +
            ". Ask e.g. `@nr-analyzer what's wrong with checkout?` or `… with checkout 1h?`";
        handled.job = [event, thread, text](const Ports& ports) {
            return reply(ports, event.channel, thread, text);
        };
        return handled;
    }
    handled.busy_text = "I am busy with other analyses right now; ask me again in a minute.";
    handled.job = [event, thread, request = words.request](const Ports& ports) {
        return run_incident_mention(ports, event, thread, request);
    };
    return handled;
}

bool mentions_help(const std::string& text) {
    return text.find("help") != std::string::npos;
}

}  // namespace

Handled handle_app_mention(const SlackEvent& event) {
    Handled handled;  // events are acked with a bare 200 whatever happens next
    if (!event.bot_id.empty() || event.subtype == "bot_message") return handled;
    auto args = find_trace_arguments(event.text, kMaxTracesPerMessage);
    const std::string thread = event.thread_ts.empty() ? event.ts : event.thread_ts;
    std::string text;
    if (args.empty()) {
        if (auto asked = incident_question(event.text))
            return incident_mention(event, thread, *asked);
        text = mentions_help(event.text)
                   ? help_text()
                   : "I found no trace id or New Relic trace link in that message. Try "
                     "`@nr-analyzer 4bf92f3577b34da6a3ce929d0e0e4736` or `@nr-analyzer help`.";
        handled.job = [event, thread, text](const Ports& ports) {
            return reply(ports, event.channel, thread, text);
        };
        return handled;
    }
    handled.busy_text = "I am busy with other traces right now; mention me again in a minute.";
    handled.job = [event, a = std::move(args)](const Ports& ports) {
        return run_mention(ports, event, a);
    };
    return handled;
}

}  // namespace nra
