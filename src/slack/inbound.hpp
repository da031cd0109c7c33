// What a POST to /slack/events carries, decided from the raw body and Content-Type (Bolt's one
// endpoint): a slash command (form with `command`), an interactivity payload (form with
// `payload`), an Events API envelope (JSON), url_verification, or ssl_check. Pure; never throws.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "nra/chat.hpp"
#include "nra/result.hpp"

namespace nra::slack {

struct UrlVerification {
    std::string challenge;
};
struct SslCheck {};
struct Interactive {
    std::string payload_json;  // the decoded `payload` form field
    std::string type;          // payload type, e.g. "block_actions", "message_action"
    std::string api_app_id;
    std::string team_id;
    std::optional<BlockAction> action;        // block_actions with at least one action
    std::optional<MessageShortcut> shortcut;  // message_action
};
// An event_callback whose inner event type we do not handle (still 200 + logged).
struct OtherEvent {
    std::string type;  // envelope type or inner event type
    std::string event_id;
    std::string api_app_id;
    std::string team_id;
};

using Inbound =
    std::variant<SlashCommand, SlackEvent, UrlVerification, SslCheck, Interactive, OtherEvent>;

// Error (one line, for logs) when the body is malformed: bad percent-encoding, invalid JSON, a
// form without `command`/`payload`/`ssl_check`, a JSON object without `type`.
Result<Inbound> parse_inbound(std::string_view content_type, std::string_view body);

// The JSON body of an Events API request (event_callback, url_verification, …), already parsed.
Result<Inbound> parse_event_json(const nlohmann::json& json);

// A Socket Mode envelope's payload by envelope `type`: "events_api" (the Events API body),
// "slash_commands" (the command's fields as a JSON object), "interactive" (the interactivity
// payload). Error for other types and non-object payloads.
Result<Inbound> parse_socket_payload(std::string_view type, const nlohmann::json& payload);

// An application/x-www-form-urlencoded body as fields (a repeated key keeps its last value);
// error on bad percent-encoding.
Result<std::unordered_map<std::string, std::string>> parse_form(std::string_view body);

// application/x-www-form-urlencoded value encoding: unreserved characters kept, the rest %XX.
std::string form_encode(std::string_view text);

// application/x-www-form-urlencoded value decoding ('+' → space, %XX); error on bad escapes.
Result<std::string> form_decode(std::string_view text);

}  // namespace nra::slack
