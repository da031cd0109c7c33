#include "slack/inbound.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "slack/json_fields.hpp"
#include "slack/message_text.hpp"

namespace nra::slack {
namespace {

using Json = nlohmann::json;
using Form = std::unordered_map<std::string, std::string>;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The media type of a Content-Type header, lower-cased, parameters (charset=…) dropped.
std::string media_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    const std::string_view type = trim(content_type.substr(0, semicolon));
    std::string out(type.size(), '\0');
    std::transform(type.begin(), type.end(), out.begin(), ascii_lower);
    return out;
}

std::string field(const Form& form, const std::string& key) {
    const auto it = form.find(key);
    return it == form.end() ? std::string{} : it->second;
}

const Json& member(const Json& object, const char* key) {
    static const Json null_json;
    if (!object.is_object()) return null_json;
    const auto it = object.find(key);
    return it == object.end() ? null_json : *it;
}

// The first action of a block_actions payload (api.slack.com/reference/interaction-payloads).
std::optional<BlockAction> block_action_from(const Json& json) {
    const Json& actions = member(json, "actions");
    if (!actions.is_array() || actions.empty()) return std::nullopt;
    const Json& first = actions.front();
    const Json& container = member(json, "container");
    const Json& message = member(json, "message");
    BlockAction action;
    action.action_id = string_at(first, "action_id");
    action.value = string_at(first, "value");
    action.user_id = string_at(member(json, "user"), "id");
    action.team_id = string_at(member(json, "team"), "id");
    action.api_app_id = string_at(json, "api_app_id");
    action.channel_id = string_at(member(json, "channel"), "id");
    if (action.channel_id.empty()) action.channel_id = string_at(container, "channel_id");
    action.message_ts = string_at(container, "message_ts");
    if (action.message_ts.empty()) action.message_ts = string_at(message, "ts");
    action.thread_ts = string_at(container, "thread_ts");
    if (action.thread_ts.empty()) action.thread_ts = string_at(message, "thread_ts");
    action.response_url = string_at(json, "response_url");
    action.trigger_id = string_at(json, "trigger_id");
    if (action.action_id.empty()) return std::nullopt;
    return action;
}

// A message_action payload: the shortcut and the message it was used on.
MessageShortcut shortcut_from(const Json& json) {
    const Json& message = member(json, "message");
    MessageShortcut shortcut;
    shortcut.callback_id = string_at(json, "callback_id");
    shortcut.user_id = string_at(member(json, "user"), "id");
    shortcut.team_id = string_at(member(json, "team"), "id");
    shortcut.api_app_id = string_at(json, "api_app_id");
    shortcut.channel_id = string_at(member(json, "channel"), "id");
    shortcut.message_ts = string_at(json, "message_ts");
    if (shortcut.message_ts.empty()) shortcut.message_ts = string_at(message, "ts");
    shortcut.thread_ts = string_at(message, "thread_ts");
    shortcut.message_text = message_search_text(message);  // alerts: attachments and blocks
    shortcut.response_url = string_at(json, "response_url");
    shortcut.trigger_id = string_at(json, "trigger_id");
    return shortcut;
}

Interactive interactive_from_json(const Json& json, std::string payload) {
    Interactive out;
    out.type = string_at(json, "type");
    out.api_app_id = string_at(json, "api_app_id");
    out.team_id = string_at(member(json, "team"), "id");
    if (out.type == "block_actions") out.action = block_action_from(json);
    if (out.type == "message_action") out.shortcut = shortcut_from(json);
    out.payload_json = std::move(payload);
    return out;
}

Interactive interactive_from(std::string payload) {
    const Json json = Json::parse(payload, nullptr, false);
    if (json.is_discarded()) {
        Interactive out;
        out.payload_json = std::move(payload);
        return out;
    }
    return interactive_from_json(json, std::move(payload));
}

SlashCommand slash_command_from(const Form& form) {
    return SlashCommand{
        .command = field(form, "command"),
        .text = field(form, "text"),
        .user_id = field(form, "user_id"),
        .channel_id = field(form, "channel_id"),
        .team_id = field(form, "team_id"),
        .api_app_id = field(form, "api_app_id"),
        .response_url = field(form, "response_url"),
        .trigger_id = field(form, "trigger_id"),
    };
}

Result<Inbound> parse_form_body(std::string_view body) {
    auto form = parse_form(body);
    if (!form) return make_error(form.error());
    if (field(*form, "ssl_check") == "1") return Inbound{SslCheck{}};
    if (const auto it = form->find("payload"); it != form->end()) {
        return Inbound{interactive_from(std::move(it->second))};
    }
    if (form->contains("command")) return Inbound{slash_command_from(*form)};
    return make_error("form without command or payload");
}

std::vector<SharedLink> links_from(const Json& event) {
    std::vector<SharedLink> links;
    const Json& list = member(event, "links");
    if (!list.is_array()) return links;
    for (const Json& link : list) {
        SharedLink shared{string_at(link, "domain"), string_at(link, "url")};
        if (!shared.url.empty()) links.push_back(std::move(shared));
    }
    return links;
}

// The installation's bot user (authorizations[].user_id with is_bot), or "".
std::string bot_user(const Json& envelope) {
    const Json& authorizations = member(envelope, "authorizations");
    if (!authorizations.is_array()) return {};
    for (const Json& a : authorizations) {
        const Json& is_bot = member(a, "is_bot");
        if (is_bot.is_boolean() && is_bot.get<bool>()) return string_at(a, "user_id");
    }
    return {};
}

// Our own posts arrive as message events too: by our bot user or carrying our app id (app_id,
// bot_profile.app_id).
bool from_self(const Json& envelope, const Json& event, const std::string& bot) {
    const std::string app = string_at(envelope, "api_app_id");
    if (!app.empty() && (string_at(event, "app_id") == app ||
                         string_at(member(event, "bot_profile"), "app_id") == app)) {
        return true;
    }
    return !bot.empty() && string_at(event, "user") == bot;
}

SlackEvent slack_event_from(const Json& envelope, const Json& event) {
    SlackEvent out{
        .event_id = string_at(envelope, "event_id"),
        .team_id = string_at(envelope, "team_id"),
        .api_app_id = string_at(envelope, "api_app_id"),
        .type = string_at(event, "type"),
        .subtype = string_at(event, "subtype"),
        .channel = string_at(event, "channel"),
        .user = string_at(event, "user"),
        .bot_id = string_at(event, "bot_id"),
        .text = string_at(event, "text"),
        .search_text = {},
        .from_self = false,
        .mentions_self = false,
        .ts = string_at(event, "ts"),
        .thread_ts = string_at(event, "thread_ts"),
        .retry_num = 0,
        .links = links_from(event),
        .unfurl_id = string_at(event, "unfurl_id"),
        .source = string_at(event, "source"),
        .tab = string_at(event, "tab"),
    };
    if (out.type == "link_shared") out.ts = string_at(event, "message_ts");
    if (out.type == "message") {
        const std::string bot = bot_user(envelope);
        out.from_self = from_self(envelope, event, bot);
        out.mentions_self = !bot.empty() && out.text.find("<@" + bot) != std::string::npos;
        if (!out.from_self) out.search_text = message_search_text(event);
    }
    return out;
}

// The inner event types that become a SlackEvent (the rest are logged and acked).
bool handled_event_type(const std::string& type) {
    return type == "app_mention" || type == "link_shared" || type == "app_home_opened" ||
           type == "message";
}

Result<Inbound> parse_json_body(std::string_view body) {
    const Json json = Json::parse(body.begin(), body.end(), nullptr, false);
    if (json.is_discarded()) return make_error("invalid JSON body");
    return parse_event_json(json);
}

}  // namespace

Result<Inbound> parse_event_json(const nlohmann::json& json) {
    if (!json.is_object()) return make_error("JSON body is not an object");
    const std::string type = string_at(json, "type");
    if (type.empty()) return make_error("JSON body without type");

    if (type == "url_verification") {
        const Json& challenge = member(json, "challenge");
        if (!challenge.is_string()) return make_error("url_verification without challenge");
        return Inbound{UrlVerification{challenge.get<std::string>()}};
    }
    const Json& event = member(json, "event");
    const std::string event_type = string_at(event, "type");
    if (type == "event_callback" && handled_event_type(event_type)) {
        return Inbound{slack_event_from(json, event)};
    }
    const bool inner = type == "event_callback" && !event_type.empty();
    return Inbound{OtherEvent{
        .type = inner ? event_type : type,
        .event_id = string_at(json, "event_id"),
        .api_app_id = string_at(json, "api_app_id"),
        .team_id = string_at(json, "team_id"),
    }};
}

std::string form_encode(std::string_view text) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const unsigned char c : text) {
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

Result<Form> parse_form(std::string_view body) {
    Form form;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto key = form_decode(pair.substr(0, eq));
        auto value =
            form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!key) return make_error("form body: " + key.error());
        if (!value) return make_error("form body: " + value.error());
        form.insert_or_assign(std::move(*key), std::move(*value));
    }
    return form;
}

Result<std::string> form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c != '%') {
            out.push_back(c);
        } else {
            const int hi = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
            const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) return make_error("bad percent-encoding");
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        }
    }
    return out;
}

Result<Inbound> parse_socket_payload(std::string_view type, const nlohmann::json& payload) {
    if (!payload.is_object()) return make_error("envelope payload is not an object");
    if (type == "events_api") return parse_event_json(payload);
    if (type == "interactive") return Inbound{interactive_from_json(payload, payload.dump())};
    if (type == "slash_commands") {
        Form form;
        for (const auto& [key, value] : payload.items()) {
            if (value.is_string()) form.emplace(key, value.get<std::string>());
        }
        if (!form.contains("command")) return make_error("slash_commands payload without command");
        return Inbound{slash_command_from(form)};
    }
    return make_error("unknown envelope type");
}

Result<Inbound> parse_inbound(std::string_view content_type, std::string_view body) {
    const std::string type = media_type(content_type);
    if (type == "application/x-www-form-urlencoded") return parse_form_body(body);
    if (type == "application/json") return parse_json_body(body);
    return make_error("unsupported content type");
}

}  // namespace nra::slack
