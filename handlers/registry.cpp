#include "registry.hpp"

#include <nlohmann/json.hpp>

#include "nra/report/slo_digest.hpp"

namespace nra {

std::string ephemeral_ack(const std::string& text) {
    return nlohmann::json{{"response_type", "ephemeral"}, {"text", text}}.dump();
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
           "• `/incident &lt;service&gt; [window]`, or `@nr-analyzer what's wrong with "
           "&lt;service&gt;?` in a thread: the most likely cause over the last minutes, with "
           "its evidence.\n"
           "• I find where the time went, slow spans, errors and where they started, and concrete "
           "fixes such as N+1 queries.";
}

const std::vector<CommandHandler>& command_handlers() {
    static const std::vector<CommandHandler> table{
        {"/trace", &handle_trace_command},
        {"/improve", &handle_improve_command},
        {"/incident", &handle_incident_command},
    };
    return table;
}

const std::vector<EventHandler>& event_handlers() {
    static const std::vector<EventHandler> table{
        {"app_mention", &handle_app_mention},
        {"message", &handle_alert_message},  // alert channels only (the dispatcher decides)
        {"link_shared", &handle_link_shared},
        {"app_home_opened", &handle_app_home_opened},
    };
    return table;
}

const std::vector<ActionHandler>& action_handlers() {
    static const std::vector<ActionHandler> table{
        {"improve_jira", &handle_improve_jira},
        {kTraceWaterfallAction, &handle_trace_waterfall},
        {kTraceReanalyzeAction, &handle_trace_reanalyze},
        {slo::kReviewKeepAction, &handle_slo_review_keep},
        {slo::kReviewChangeAction, &handle_slo_review_change},
    };
    return table;
}

const std::vector<ShortcutHandler>& shortcut_handlers() {
    static const std::vector<ShortcutHandler> table{
        {"analyze_trace", &handle_message_shortcut},
    };
    return table;
}

const ShortcutHandler* find_shortcut(std::string_view callback_id) {
    for (const auto& h : shortcut_handlers()) {
        if (h.callback_id == callback_id) return &h;
    }
    return nullptr;
}

const ActionHandler* find_action(std::string_view action_id) {
    for (const auto& h : action_handlers()) {
        if (h.action_id == action_id) return &h;
    }
    return nullptr;
}

const CommandHandler* find_command(std::string_view command) {
    for (const auto& h : command_handlers()) {
        if (h.command == command) return &h;
    }
    return nullptr;
}

const EventHandler* find_event(std::string_view type) {
    for (const auto& h : event_handlers()) {
        if (h.type == type) return &h;
    }
    return nullptr;
}

}  // namespace nra
