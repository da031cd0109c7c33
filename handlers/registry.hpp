// The whole Slack surface in one table: slash commands, event types, button actions and message
// shortcuts mapped to handlers. The manifest test checks slack-manifest.yaml against these names.
#pragma once

#include <string_view>
#include <vector>

#include "handler.hpp"

namespace nra {

struct CommandHandler {
    std::string_view command;  // "/trace"
    Handled (*handle)(const SlashCommand&);
};

struct EventHandler {
    std::string_view type;  // inner event type, e.g. "app_mention"
    Handled (*handle)(const SlackEvent&);
};

struct ActionHandler {
    std::string_view action_id;  // a button's action_id, e.g. "improve_jira"
    Handled (*handle)(const BlockAction&);
};

struct ShortcutHandler {
    std::string_view callback_id;  // a message shortcut's callback_id, e.g. "analyze_trace"
    Handled (*handle)(const MessageShortcut&);
};

const std::vector<CommandHandler>& command_handlers();
const std::vector<EventHandler>& event_handlers();
const std::vector<ActionHandler>& action_handlers();
const std::vector<ShortcutHandler>& shortcut_handlers();

// nullptr when nothing handles the name.
const CommandHandler* find_command(std::string_view command);
const EventHandler* find_event(std::string_view type);
const ActionHandler* find_action(std::string_view action_id);
const ShortcutHandler* find_shortcut(std::string_view callback_id);

// Entry points (one file each).
Handled handle_trace_command(const SlashCommand& command);
Handled handle_app_mention(const SlackEvent& event);
Handled handle_alert_message(const SlackEvent& event);
Handled handle_improve_command(const SlashCommand& command);
Handled handle_incident_command(const SlashCommand& command);
Handled handle_improve_jira(const BlockAction& action);
Handled handle_message_shortcut(const MessageShortcut& shortcut);
Handled handle_link_shared(const SlackEvent& event);
Handled handle_app_home_opened(const SlackEvent& event);
Handled handle_trace_waterfall(const BlockAction& action);
Handled handle_trace_reanalyze(const BlockAction& action);
Handled handle_slo_review_keep(const BlockAction& action);
Handled handle_slo_review_change(const BlockAction& action);
// `/improve slo [service]` (improve_command.cpp hands the rest of the text over).
Handled handle_improve_slo(const SlashCommand& command, const std::string& service);

}  // namespace nra
