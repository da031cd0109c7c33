// The fake Slack's file upload v2 (getUploadURLExternal, the raw upload, completeUploadExternal),
// chat.unfurl, views.publish and apps.connections.open.
#include <fmt/format.h>

#include <charconv>
#include <system_error>
#include <utility>

#include "support/fake_slack_state.hpp"

namespace nra::test::detail {
namespace {

using json = nlohmann::json;

std::string next_id(FakeSlackState& s, char prefix) {
    return fmt::format("{}{:010}", prefix, s.next_id++);
}

bool is_form(const SlackCall& call) {
    return call.content_type.rfind("application/x-www-form-urlencoded", 0) == 0;
}

// A form argument holding JSON is a string; in a JSON body it is the value itself.
json json_argument(const SlackCall& call, const char* key) {
    if (!call.body.is_object() || !call.body.contains(key)) return nullptr;
    const auto& value = call.body[key];
    if (is_form(call) && value.is_string()) {
        auto parsed = json::parse(value.get<std::string>(), nullptr, false);
        return parsed.is_discarded() ? json(nullptr) : parsed;
    }
    return value;
}

// `length` as sent: a decimal string (form) or a number (JSON); 0 when neither.
std::size_t length_of(const json& body) {
    if (!body.is_object() || !body.contains("length")) return 0;
    const auto& value = body["length"];
    if (value.is_number_unsigned()) return value.get<std::size_t>();
    if (!value.is_string()) return 0;
    const auto text = value.get<std::string>();
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc{} && end == text.data() + text.size() ? n : 0;
}

FakeReply get_upload_url(FakeSlackState& s, SlackCall& call) {
    const auto filename = string_field(call.body, "filename");
    const auto length = length_of(call.body);
    if (filename.empty() || length == 0) return slack_error("invalid_arguments");
    const auto id = next_id(s, 'F');
    s.files[id] =
        FakeFile{filename, length, string_field(call.body, "alt_txt"), std::nullopt, {}, false};
    const auto& origin = s.upload_origin.empty() ? s.origin : s.upload_origin;
    call.ts = id;
    call.ok = true;
    return json_reply({{"ok", true}, {"upload_url", origin + "/upload/v1/" + id}, {"file_id", id}});
}

// Why the announced files cannot be completed, or nullopt.
std::optional<std::string> upload_problem(const FakeSlackState& s, const json& files) {
    for (const auto& file : files) {
        const auto it = s.files.find(string_field(file, "id"));
        if (it == s.files.end()) return "file_not_found";
        if (!it->second.bytes) return "file_not_uploaded";
        if (it->second.bytes->size() != it->second.length) return "file_size_mismatch";
    }
    return std::nullopt;
}

FakeReply complete_upload(FakeSlackState& s, SlackCall& call) {
    const auto files = json_argument(call, "files");
    if (!files.is_array() || files.empty()) return slack_error("invalid_arguments");
    if (const auto problem = upload_problem(s, files)) return slack_error(*problem);
    const auto channel = string_field(call.body, "channel_id");
    if (!channel.empty() && !s.members.empty() && !s.members.contains(channel)) {
        return slack_error("not_in_channel");
    }
    // As public reports describe Slack: a file announced with alt_txt is answered ok:true and
    // never shared (python-slack-sdk#1818); the answer then lists no file.
    bool silent = s.unshared_completions > 0;
    if (silent) --s.unshared_completions;
    auto answered = json::array();
    for (const auto& file : files) {
        const auto id = string_field(file, "id");
        auto& known = s.files[id];
        const auto title = string_field(file, "title");
        known.title = title.empty() ? known.filename : title;
        if (silent || !known.alt_txt.empty()) continue;
        known.shared = true;
        answered.push_back({{"id", id}, {"title", known.title}});
    }
    call.ts = string_field(files[0], "id");
    call.ok = true;
    return json_reply({{"ok", true}, {"files", answered}});
}

// Either channel + ts or unfurl_id + source, and a non-empty `unfurls` object.
FakeReply unfurl(SlackCall& call) {
    const auto& body = call.body;
    const bool by_message =
        !string_field(body, "channel").empty() && !string_field(body, "ts").empty();
    const bool by_id =
        !string_field(body, "unfurl_id").empty() && !string_field(body, "source").empty();
    const auto unfurls = json_argument(call, "unfurls");
    if (!(by_message || by_id) || !unfurls.is_object() || unfurls.empty()) {
        return slack_error("invalid_arguments");
    }
    call.ok = true;
    return json_reply({{"ok", true}});
}

FakeReply publish_home(FakeSlackState& s, SlackCall& call) {
    const auto user = string_field(call.body, "user_id");
    auto view = json_argument(call, "view");
    if (user.empty() || !view.is_object() || string_field(view, "type") != "home") {
        return slack_error("invalid_arguments");
    }
    view["id"] = next_id(s, 'V');
    call.ok = true;
    return json_reply({{"ok", true}, {"view", view}});
}

// reactions.add: channel, timestamp and name are required; the bot must be in the channel; the
// same reaction twice is "already_reacted", as Slack answers.
FakeReply add_reaction(FakeSlackState& s, SlackCall& call) {
    const auto channel = string_field(call.body, "channel");
    const auto ts = string_field(call.body, "timestamp");
    const auto name = string_field(call.body, "name");
    if (channel.empty() || ts.empty() || name.empty()) return slack_error("invalid_arguments");
    if (!s.members.empty() && !s.members.contains(channel)) return slack_error("not_in_channel");
    if (!s.reactions.insert(channel + "/" + ts + "/" + name).second) {
        return slack_error("already_reacted");
    }
    call.ok = true;
    return json_reply({{"ok", true}});
}

// apps.connections.open takes the app-level token only.
std::optional<std::string> app_token_problem(const std::string& authorization) {
    if (authorization == fmt::format("Bearer {}", FakeSlack::kAppToken)) return std::nullopt;
    if (authorization.rfind("Bearer xoxb-", 0) == 0 ||
        authorization.rfind("Bearer xoxp-", 0) == 0) {
        return "not_allowed_token_type";
    }
    return "invalid_auth";
}

}  // namespace

std::optional<FakeReply> answer_extra(FakeSlackState& s, SlackCall& call) {
    if (call.method == "files.getUploadURLExternal") return get_upload_url(s, call);
    if (call.method == "files.completeUploadExternal") return complete_upload(s, call);
    if (call.method == "chat.unfurl") return unfurl(call);
    if (call.method == "views.publish") return publish_home(s, call);
    if (call.method == "reactions.add") return add_reaction(s, call);
    return std::nullopt;
}

FakeReply answer_upload(FakeSlackState& s, SlackCall& call, const FakeRequest& request) {
    if (s.upload_fail_times > 0) {
        --s.upload_fail_times;
        return text_reply(s.upload_fail_status, "upload failed");
    }
    const auto id = string_field(call.body, "file_id");
    const auto it = s.files.find(id);
    if (it == s.files.end()) return text_reply(404, "file_not_found");
    it->second.bytes = request.body;
    call.ts = id;
    call.ok = true;
    return text_reply(200, fmt::format("OK - {}", request.body.size()));
}

FakeReply open_connection(FakeSlackState& s, SlackCall call) {
    std::optional<FakeReply> reply;
    std::function<std::string()> socket_url;
    {
        const std::lock_guard lock(s.mutex);
        if (const auto problem = app_token_problem(call.authorization)) {
            reply = slack_error(*problem);
        } else if (auto fault = injected_fault(s, call)) {
            reply = std::move(fault);
        } else if (!s.socket_url) {
            reply = slack_error("not_configured");
        } else {
            socket_url = s.socket_url;
        }
    }
    if (!reply) {  // outside the lock: the Socket Mode fake may take its own
        const auto url = socket_url();
        reply = json_reply({{"ok", true}, {"url", url}});
        call.ok = true;
    }
    {
        const std::lock_guard lock(s.mutex);
        s.calls.push_back(std::move(call));
    }
    s.changed.notify_all();
    return *reply;
}

}  // namespace nra::test::detail
