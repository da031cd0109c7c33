// A message in an alert channel (alert_channels:, NR_ANALYZER_ALERT_CHANNELS; the dispatcher
// drops messages of every other channel before they get here): the trace ids and New Relic links
// in its text, attachments and blocks — from people, bots and integrations alike, never from
// ourselves — answered in its thread. Edits, deletions, joins and replies inside threads are not
// alerts; a message without a trace id is left alone, silently.
#include "answer_alert.hpp"
#include "new_relic_links.hpp"
#include "registry.hpp"

namespace nra {
namespace {

bool is_alert_subtype(const std::string& subtype) {
    return subtype.empty() || subtype == "bot_message" || subtype == "file_share";
}

}  // namespace

Handled handle_alert_message(const SlackEvent& event) {
    Handled handled;
    if (event.from_self || event.mentions_self || !is_alert_subtype(event.subtype) ||
        event.ts.empty()) {
        return handled;  // a mention is answered as one (app_mention), not twice
    }
    if (!event.thread_ts.empty() && event.thread_ts != event.ts) return handled;
    // Bare ids, traceparents and New Relic links: another tool's URL with a hex id is no trace.
    const auto text =
        without_foreign_links(event.search_text.empty() ? event.text : event.search_text);
    auto traces = find_trace_arguments(text, kMaxTracesPerMessage);
    if (traces.empty()) return handled;
    AlertMessage alert{event.team_id, event.channel, event.ts, std::move(traces)};
    // No "busy" reply: in an alert storm it would be one more message per alert. The dispatcher
    // counts what it drops (nra_busy_total).
    handled.job = [alert](const Ports& ports) { return answer_alert(ports, alert); };
    return handled;
}

}  // namespace nra
