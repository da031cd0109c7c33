#include "support/fake_slack.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

#include "slack/inbound.hpp"
#include "support/fake_slack_state.hpp"

namespace nra::test {

using detail::FakeSlackState;
using detail::json_reply;
using detail::rate_limited;
using detail::slack_error;
using detail::string_field;
using detail::text_reply;

namespace {

bool posts_into_channel(const std::string& method) {
    return method == "chat.postMessage" || method == "chat.update" ||
           method == "chat.postEphemeral";
}

// The blocks of a call as Slack counts them (a JSON array, or a string holding one).
std::size_t blocks_size(const nlohmann::json& body) {
    if (!body.is_object() || !body.contains("blocks")) return 0;
    const auto& blocks = body["blocks"];
    return blocks.is_string() ? blocks.get<std::string>().size() : blocks.dump().size();
}

std::string method_of(const std::string& target) {
    const auto path = target.substr(0, target.find('?'));
    if (path.rfind("/api/", 0) == 0) return path.substr(5);
    if (path.rfind("/response/", 0) == 0) return "response_url";
    if (path.rfind("/upload/v1/", 0) == 0) return "upload";
    return {};
}

// application/x-www-form-urlencoded fields as a JSON object of strings; null when malformed.
nlohmann::json form_fields(std::string_view body) {
    auto fields = nlohmann::json::object();
    while (!body.empty()) {
        const auto amp = body.find('&');
        const auto pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto key = slack::form_decode(pair.substr(0, eq));
        auto value = slack::form_decode(
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1)
        );
        if (!key || !value) return nullptr;
        fields[*key] = *value;
    }
    return fields;
}

SlackCall parse_call(const FakeRequest& request) {
    SlackCall call;
    call.method = method_of(request.target);
    call.authorization = request.header("Authorization");
    call.content_type = request.header("Content-Type");
    if (call.method == "upload") {
        call.body = {{"file_id", request.target.substr(std::string_view("/upload/v1/").size())}};
        call.bytes = request.body.size();
    } else if (call.content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        call.body = form_fields(request.body);
    } else {
        call.body = nlohmann::json::parse(request.body, nullptr, false);
        if (call.body.is_discarded()) call.body = nullptr;
    }
    return call;
}

// None for response_url and raw uploads (their URL is the credential), else the bot token
// (apps.connections.open, which needs the app token, is answered apart).
bool needs_bot_token(const std::string& method) {
    return method != "response_url" && method != "upload";
}

FakeReply error_reply(const SlackCall& call, const std::string& code) {
    if (call.method == "response_url") return text_reply(404, code);  // plain text, not JSON
    if (call.method == "upload") return text_reply(400, code);
    return slack_error(code);
}

// What Slack would refuse in a well-authenticated call; nullopt when it is fine.
std::optional<std::string> refusal(
    const SlackCall& call, const std::set<std::string>& members, std::size_t blocks_limit
) {
    if (!call.body.is_object()) return "invalid_json";
    if (string_field(call.body, "text").empty() && !call.body.contains("blocks")) {
        return "no_text";
    }
    if (blocks_limit != 0 && blocks_size(call.body) > blocks_limit) return "msg_blocks_too_long";
    if (!posts_into_channel(call.method)) return std::nullopt;
    const auto channel = string_field(call.body, "channel");
    if (channel.empty()) return "channel_not_found";
    if (!members.empty() && !members.contains(channel)) return "not_in_channel";
    if (call.method == "chat.update" && string_field(call.body, "ts").empty()) {
        return "message_not_found";
    }
    if (call.method == "chat.postEphemeral" && string_field(call.body, "user").empty()) {
        return "user_not_in_channel";
    }
    return std::nullopt;
}

FakeReply success(const SlackCall& call) {
    if (call.method == "response_url") {
        FakeReply r;
        r.headers.emplace_back("Content-Type", "text/plain");
        r.body = "ok";
        return r;
    }
    nlohmann::json body{{"ok", true}};
    const auto channel = string_field(call.body, "channel");
    if (call.method == "chat.postEphemeral") {
        body["message_ts"] = call.ts;
        return json_reply(body);
    }
    body["channel"] = channel;
    body["ts"] = call.ts;
    body["message"] = {{"text", string_field(call.body, "text")}, {"ts", call.ts}};
    if (call.method == "chat.update") body["text"] = string_field(call.body, "text");
    return json_reply(body);
}

// A chat.* message or a response_url post: an ok:false code, or a fresh ts.
FakeReply answer_message(FakeSlackState& s, SlackCall& call) {
    if (const auto code = refusal(call, s.members, s.blocks_limit)) {
        return error_reply(call, *code);
    }
    call.ts = call.method == "chat.update" ? string_field(call.body, "ts")
                                           : fmt::format("1700000000.{:06}", s.next_ts);
    if (call.method != "chat.update") s.next_ts += 100;
    call.ok = true;
    return success(call);
}

// Decides one call under the lock: a refusal, an injected fault, or the method's answer.
FakeReply decide(FakeSlackState& s, SlackCall& call, const FakeRequest& request) {
    if (request.method != "POST" || call.method.empty()) return error_reply(call, "unknown_method");
    if (needs_bot_token(call.method) &&
        call.authorization != fmt::format("Bearer {}", FakeSlack::kBotToken)) {
        return error_reply(call, "invalid_auth");
    }
    if (auto fault = detail::injected_fault(s, call)) return *fault;
    if (call.method == "upload") return detail::answer_upload(s, call, request);
    if (auto extra = detail::answer_extra(s, call)) return *extra;
    return answer_message(s, call);
}

}  // namespace

namespace detail {

FakeReply json_reply(const nlohmann::json& body) {
    FakeReply r;
    r.body = body.dump();
    return r;
}

FakeReply slack_error(const std::string& code) {
    return json_reply({{"ok", false}, {"error", code}});
}

FakeReply rate_limited(int retry_after_s) {
    FakeReply r = slack_error("ratelimited");
    r.status = 429;
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
}

FakeReply text_reply(int status, const std::string& text) {
    FakeReply r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/plain");
    r.body = text;
    return r;
}

std::string string_field(const nlohmann::json& body, const char* key) {
    if (!body.is_object() || !body.contains(key) || !body[key].is_string()) return {};
    return body[key].get<std::string>();
}

std::optional<FakeReply> injected_fault(FakeSlackState& s, const SlackCall& call) {
    if (const auto it = s.rate_limit_next.find(call.method); it != s.rate_limit_next.end()) {
        auto reply = rate_limited(it->second);
        s.rate_limit_next.erase(it);
        return reply;
    }
    if (const auto it = s.fail_next.find(call.method); it != s.fail_next.end()) {
        auto reply = error_reply(call, it->second);
        s.fail_next.erase(it);
        return reply;
    }
    return std::nullopt;
}

}  // namespace detail

FakeSlack::FakeSlack(FakeServerOptions options)
    : state_(std::make_unique<detail::FakeSlackState>()) {
    server_ = std::make_unique<FakeHttpServer>(
        [this](const FakeRequest& r) { return handle(r); }, std::move(options)
    );
    const std::lock_guard lock(state_->mutex);  // nobody knows the port yet, but be plain
    state_->origin = server_->url("");
}

FakeSlack::~FakeSlack() {
    server_.reset();  // joins the server thread before the state goes
}

std::string FakeSlack::api_url() const {
    return server_->url("/api");
}

std::string FakeSlack::response_url(const std::string& id) const {
    return server_->url("/response/" + id);
}

void FakeSlack::set_member_channels(std::set<std::string> channels) {
    const std::lock_guard lock(state_->mutex);
    state_->members = std::move(channels);
}

void FakeSlack::fail_next(const std::string& method, const std::string& code) {
    const std::lock_guard lock(state_->mutex);
    state_->fail_next[method] = code;
}

void FakeSlack::rate_limit_next(const std::string& method, int retry_after_s) {
    const std::lock_guard lock(state_->mutex);
    state_->rate_limit_next[method] = retry_after_s;
}

void FakeSlack::lose_answer_next(const std::string& method) {
    const std::lock_guard lock(state_->mutex);
    state_->lose_answer_next.insert(method);
}

void FakeSlack::set_blocks_limit(std::size_t characters) {
    const std::lock_guard lock(state_->mutex);
    state_->blocks_limit = characters;
}

std::vector<SlackCall> FakeSlack::calls() const {
    const std::lock_guard lock(state_->mutex);
    return state_->calls;
}

std::size_t FakeSlack::wait_for_calls(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    state_->changed.wait_for(lock, timeout, [&] { return state_->calls.size() >= n; });
    return state_->calls.size();
}

std::size_t FakeSlack::wait_for_method(
    const std::string& method, std::size_t n, std::chrono::milliseconds timeout
) const {
    const auto count = [&] {
        return static_cast<std::size_t>(std::count_if(
            state_->calls.begin(),
            state_->calls.end(),
            [&](const SlackCall& c) { return c.method == method; }
        ));
    };
    std::unique_lock lock(state_->mutex);
    state_->changed.wait_for(lock, timeout, [&] { return count() >= n; });
    return count();
}

void FakeSlack::set_socket_url(std::function<std::string()> socket_url) {
    const std::lock_guard lock(state_->mutex);
    state_->socket_url = std::move(socket_url);
}

void FakeSlack::fail_uploads(int status, int times) {
    const std::lock_guard lock(state_->mutex);
    state_->upload_fail_status = status;
    state_->upload_fail_times = times;
}

void FakeSlack::set_upload_origin(std::string origin) {
    const std::lock_guard lock(state_->mutex);
    state_->upload_origin = std::move(origin);
}

std::optional<std::string> FakeSlack::uploaded(const std::string& file_id) const {
    const std::lock_guard lock(state_->mutex);
    const auto it = state_->files.find(file_id);
    if (it == state_->files.end()) return std::nullopt;
    return it->second.bytes;
}

bool FakeSlack::shared(const std::string& file_id) const {
    const std::lock_guard lock(state_->mutex);
    const auto it = state_->files.find(file_id);
    return it != state_->files.end() && it->second.shared;
}

void FakeSlack::complete_without_sharing(int times) {
    const std::lock_guard lock(state_->mutex);
    state_->unshared_completions = times;
}

FakeReply FakeSlack::handle(const FakeRequest& request) {
    SlackCall call = parse_call(request);
    if (call.method == "apps.connections.open" && request.method == "POST") {
        return detail::open_connection(*state_, std::move(call));
    }
    FakeReply reply;
    {
        const std::lock_guard lock(state_->mutex);
        reply = decide(*state_, call, request);
        if (state_->lose_answer_next.erase(call.method) > 0) {
            reply.action = FakeReply::Action::close;
        }
        state_->calls.push_back(std::move(call));
    }
    state_->changed.notify_all();
    return reply;
}

}  // namespace nra::test
