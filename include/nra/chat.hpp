// Slack-shaped values the handlers work with, independent of transport (HTTP Events API or
// Socket Mode): what arrived, and what to post (Block Kit as data). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/render/block_message.hpp"

namespace nra {

// A slash command (form fields of docs.slack.dev/interactivity/implementing-slash-commands).
struct SlashCommand {
    std::string command;  // "/trace"
    std::string text;     // everything after the command
    std::string user_id;
    std::string channel_id;
    std::string team_id;
    std::string api_app_id;
    std::string response_url;
    std::string trigger_id;
};

// A link in a `link_shared` event.
struct SharedLink {
    std::string domain;
    std::string url;
};

// An Events API `event_callback` whose inner event the bot handles (app_mention, link_shared,
// app_home_opened).
// Slack channel ids: C… public, G… private (legacy), D… direct messages.
inline bool is_slack_channel_id(std::string_view s) {
    if (s.size() < 9 || (s[0] != 'C' && s[0] != 'G' && s[0] != 'D')) return false;
    return std::ranges::all_of(s.substr(1), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

struct SlackEvent {
    std::string event_id;  // globally unique: the dedup key
    std::string team_id;
    std::string api_app_id;
    std::string type;     // inner event type, e.g. "app_mention"
    std::string subtype;  // e.g. "bot_message"; empty for plain messages
    std::string channel;
    std::string user;
    std::string bot_id;  // set when a bot wrote the message (ignore those)
    std::string text;
    // `message` events: every text of the message (text, attachments, blocks), for trace ids.
    std::string search_text;
    // The message came from this app itself (its bot user or its app id): never answered.
    bool from_self = false;
    // The message mentions this app's bot user: the app_mention event answers it.
    bool mentions_self = false;
    std::string ts;
    std::string thread_ts;  // set when the message is in a thread
    int retry_num = 0;      // X-Slack-Retry-Num (0 = first delivery)
    // link_shared: `ts` holds the event's message_ts; `unfurl_id` + `source` identify composer
    // previews (chat.unfurl accepts either channel + ts or unfurl_id + source).
    std::vector<SharedLink> links;
    std::string unfurl_id;
    std::string source;
    std::string tab;  // app_home_opened: "home" or "messages"
};

// A message shortcut (`message_action` interactivity payload): the message it was used on.
struct MessageShortcut {
    std::string callback_id;  // e.g. "analyze_trace" (slack-manifest.yaml)
    std::string user_id;
    std::string team_id;
    std::string api_app_id;
    std::string channel_id;
    std::string message_ts;    // the message the shortcut was used on
    std::string thread_ts;     // its thread when it is a reply; empty for a top-level message
    std::string message_text;  // that message's text
    std::string response_url;
    std::string trigger_id;
};

// One button press from a `block_actions` interactivity payload (the first action in it).
struct BlockAction {
    std::string action_id;  // e.g. "improve_jira"
    std::string value;      // the button's value (set by the renderer)
    std::string user_id;
    std::string team_id;
    std::string api_app_id;
    std::string channel_id;
    std::string message_ts;  // the message carrying the button
    std::string thread_ts;   // its thread when the message is a reply
    std::string response_url;
    std::string trigger_id;
};

// A message to post. `blocks` is a Block Kit array or null; `text` is always set (notification
// and accessibility fallback, and the plain-text retry).
// nlohmann::json's move is noexcept in fact; clang-tidy cannot see through its invariant check.
struct OutgoingMessage {  // NOLINT(bugprone-exception-escape)
    std::string channel;
    std::string thread_ts;
    std::string text;
    Blocks blocks;
};

// A rendered message, to be posted into `channel` (inside `thread_ts` when set).
inline OutgoingMessage to_message(BlockMessage rendered, std::string channel = {}) {
    return OutgoingMessage{
        std::move(channel), {}, std::move(rendered.text), std::move(rendered.blocks)};
}

}  // namespace nra
