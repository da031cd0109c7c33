#include "slack/web_client.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>

#include "http/client.hpp"
#include "http/retry.hpp"
#include "http/text.hpp"
#include "log/log.hpp"
#include "slack/inbound.hpp"
#include "slack/web_client_impl.hpp"

namespace nra::slack {
namespace {

namespace asio = boost::asio;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;
using detail::Answer;
using detail::Call;
using detail::failure;
using detail::origin_of;
using detail::ready;
using detail::Reply;
using detail::run_call;
using detail::State;
using detail::StatePtr;
using detail::Turn;
using std::chrono::milliseconds;

constexpr std::size_t kPlainTextLimit = 3900;  // characters, under Slack's 4,000 advice
constexpr std::string_view kTruncated = "… (truncated)";

bool is_blocks_refusal(std::string_view code) {
    return code == "invalid_blocks" || code == "invalid_blocks_format" ||
           code == "msg_blocks_too_long" || code == "msg_too_long";
}

// At most kPlainTextLimit characters (code points), cut between UTF-8 sequences.
std::string cut_text(std::string text) {
    const std::size_t keep = kPlainTextLimit - 13;  // kTruncated is 13 characters
    std::size_t chars = 0;
    std::size_t cut = std::string::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation
        if (chars == keep) cut = i;
        if (++chars > kPlainTextLimit) {
            text.resize(cut);
            return text + std::string(kTruncated);
        }
    }
    return text;
}

// The Block Kit array of a message; null when absent or not an array (the text still goes).
json blocks_of(const Blocks& blocks, const std::string& method) {
    if (blocks.is_null()) return nullptr;
    if (blocks.is_array()) return blocks;
    log::warn("slack {}: blocks are not a Block Kit array; sending text only", method);
    return nullptr;
}

// Fills `call.body` (with blocks) and `call.fallback` (text only, cut) from one template.
void set_bodies(Call& call, json body, const json& blocks, bool clear_blocks) {
    const std::string text = body.value("text", "");
    const std::string cut = cut_text(text);
    json plain = body;
    plain["text"] = cut;
    // chat.update keeps the old blocks unless told otherwise: clear them on the retry.
    if (clear_blocks) plain["blocks"] = json::array();
    if (!blocks.is_null()) body["blocks"] = blocks;
    call.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!blocks.is_null() || cut != text) {
        call.fallback = plain.dump(-1, ' ', false, json::error_handler_t::replace);
    }
}

// hooks.slack.com over HTTPS, or the configured API's own origin (tests, the simulator).
bool is_allowed_response_url(std::string_view url, const std::string& api_url) {
    const auto target = origin_of(url);
    return !target.empty() &&
           (target == "https://hooks.slack.com:443" || target == origin_of(api_url));
}

// Transport trouble, rate limits and Slack's own errors: worth another try later.
bool passing_trouble(http::OutcomeClass c) {
    using http::OutcomeClass;
    return c == OutcomeClass::timed_out || c == OutcomeClass::too_large ||
           c == OutcomeClass::unreachable || c == OutcomeClass::rate_limited ||
           c == OutcomeClass::upstream_error;
}

ChatResult read_http_failure(const http::Outcome& out) {
    if (http::classify(out) == http::OutcomeClass::rate_limited) {
        return failure(ChatError::rate_limited);
    }
    return failure(ChatError::unavailable);
}

// A Web API answer: {"ok":true,"channel":…,"ts":…} or {"ok":false,"error":…}.
ChatResult read_api_answer(const http::Outcome& out) {
    if (http::classify(out) != http::OutcomeClass::ok) return read_http_failure(out);
    const auto doc = json::parse(out.response.body, nullptr, false);
    if (!doc.is_object() || !doc.contains("ok") || !doc["ok"].is_boolean()) {
        return failure(ChatError::unavailable);
    }
    if (!doc["ok"].get<bool>()) {
        const auto field = doc.value("error", json());
        std::string code = field.is_string() ? field.get<std::string>() : "unknown_error";
        return failure(classify_error(code), std::string(code));
    }
    const auto text_of = [&doc](const char* key) {
        const auto v = doc.value(key, json());
        return v.is_string() ? v.get<std::string>() : std::string();
    };
    const auto ts = text_of("ts");  // chat.postEphemeral answers with message_ts
    return ChatResult{
        ChatError::none, {}, text_of("channel"), ts.empty() ? text_of("message_ts") : ts};
}

bool is_code_word(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    });
}

// A response_url answer: HTTP 200 ("ok" or JSON) is success; errors come as a plain-text code
// such as "expired_url" or "invalid_blocks" with a 4xx status.
ChatResult read_hook_answer(const http::Outcome& out) {
    const auto kind = http::classify(out);
    if (kind == http::OutcomeClass::ok) return {};
    if (passing_trouble(kind)) return read_http_failure(out);
    std::string code(http::detail::trim(out.response.body));
    const auto doc = json::parse(code, nullptr, false);
    if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) code = doc["error"];
    if (!is_code_word(code)) code = fmt::format("http_{}", out.response.status);
    return failure(classify_error(code), std::string(code));
}

std::string_view to_string(ChatError error) {
    // clang-format off
    static constexpr std::array<std::string_view, 8> kNames = {"ok", "not_in_channel",
        "channel_not_found", "invalid_auth", "rate_limited", "too_long", "unavailable", "other"};
    // clang-format on
    return kNames.at(static_cast<std::size_t>(error));
}

// A raw upload to an upload_url: HTTP 200 is success (the body is "OK - <length>").
ChatResult read_upload_answer(const http::Outcome& out) {
    const auto kind = http::classify(out);
    if (kind == http::OutcomeClass::ok) return {};
    if (passing_trouble(kind)) return read_http_failure(out);
    return failure(ChatError::other, fmt::format("upload_http_{}", out.response.status));
}

ChatResult read_answer(Answer answer, const http::Outcome& out) {
    switch (answer) {
        case Answer::api:
            return read_api_answer(out);
        case Answer::hook:
            return read_hook_answer(out);
        case Answer::upload:
            break;
    }
    return read_upload_answer(out);
}

http::Request request_of(const State& state, const Call& call, std::string body) {
    http::Request request;
    request.upstream = "slack";
    request.url = call.url;
    request.headers.push_back({"Content-Type", call.content_type});
    if (call.answer == Answer::api) {
        request.headers.push_back({"Authorization", "Bearer " + state.options.bot_token});
    }
    request.body = std::move(body);
    return request;
}

// One request within the caller's turn, spaced from the previous one of the same lane.
asio::awaitable<Reply> send_once(
    StatePtr impl, Call call, std::string body, Clock::time_point deadline
) {
    co_await impl->pacer.space(call.lane);
    const auto left = std::chrono::floor<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds{0}) co_return Reply{failure(ChatError::rate_limited), {}};
    auto request = request_of(*impl, call, std::move(body));
    request.timeout = std::min(left, call.attempt_timeout);
    http::RetryPolicy policy;
    policy.budget = left;
    policy.base_delay = impl->options.retry_base_delay;
    policy.idempotent = call.idempotent;
    auto out = co_await http::send_with_retry(impl->http, std::move(request), policy);
    if (!out.ok()) {
        log::warn(
            "slack {} to {}: {} after {} attempt(s)",
            call.method,
            call.channel,
            http::to_string(out.failure),
            out.attempts
        );
    }
    co_return Reply{read_answer(call.answer, out), std::move(out.response.body)};
}

void log_result(const Call& call, const ChatResult& result) {
    if (result.ok()) {
        log::info("slack {} to {}: ok", call.method, call.channel);
        return;
    }
    log::warn(
        "slack {} to {} failed: {} {}",
        call.method,
        call.channel,
        to_string(result.error),
        result.code
    );
}

Call message_call(const State& state, std::string method, const OutgoingMessage& message) {
    return detail::api_call(
        state, std::move(method), message.channel, "channel:" + message.channel
    );
}

// Methods that add something each time they are carried out: a lost answer must not make a
// second message or a second share (a timed-out chat.postMessage was posted three times).
bool adds_each_time(std::string_view method) {
    return method == "chat.postMessage" || method == "chat.postEphemeral" ||
           method == "files.completeUploadExternal";
}

}  // namespace

namespace detail {

ChatResult failure(ChatError error, std::string code) {
    return ChatResult{error, std::move(code), {}, {}};
}

// "scheme://host:port" of an http(s) URL without user info; empty when it is not one.
std::string origin_of(std::string_view url) {
    const auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed || parsed->has_userinfo() || parsed->encoded_host().empty()) return {};
    const auto scheme = http::detail::to_lower(parsed->scheme());
    if (scheme != "http" && scheme != "https") return {};
    std::string port(parsed->port());
    if (port.empty()) port = scheme == "https" ? "443" : "80";
    return scheme + "://" + http::detail::to_lower(parsed->encoded_host()) + ":" + port;
}

asio::awaitable<Reply> run_call_reply(StatePtr state, Call call) {
    const auto deadline = Clock::now() + state->options.budget;
    co_await state->pacer.enter(call.lane);
    const Turn turn(state->pacer, call.lane);
    auto body = std::move(call.body);  // not copied with `call` (file uploads are large)
    auto reply = co_await send_once(state, call, std::move(body), deadline);
    if (!reply.result.ok() && call.fallback && is_blocks_refusal(reply.result.code)) {
        log::warn(
            "slack {} to {}: {}; retrying as plain text",
            call.method,
            call.channel,
            reply.result.code
        );
        reply = co_await send_once(state, call, *call.fallback, deadline);
    }
    log_result(call, reply.result);
    co_return reply;
}

asio::awaitable<ChatResult> run_call(StatePtr state, Call call) {
    auto reply = co_await run_call_reply(std::move(state), std::move(call));
    co_return std::move(reply.result);
}

asio::awaitable<ChatResult> ready(ChatResult result) {
    co_return result;
}

Call api_call(const State& state, std::string method, std::string channel, std::string lane) {
    Call call;
    call.idempotent = !adds_each_time(method);
    call.url = state.options.api_url + "/" + method;
    call.method = std::move(method);
    call.channel = std::move(channel);
    call.lane = std::move(lane);
    return call;
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [key, value] : fields) {
        if (value.empty()) continue;
        if (!out.empty()) out += '&';
        out += key + '=' + form_encode(value);
    }
    return out;
}

}  // namespace detail

WebClient::WebClient(http::Client& http, WebClientOptions options)
    : impl_(std::make_shared<Impl>(http, std::move(options))) {}

asio::awaitable<ChatResult> WebClient::post_message(OutgoingMessage message) {
    Call call = message_call(impl_->state, "chat.postMessage", message);
    json body{{"channel", message.channel}, {"text", message.text}};
    if (!message.thread_ts.empty()) body["thread_ts"] = message.thread_ts;
    body["unfurl_links"] = false;
    body["unfurl_media"] = false;
    set_bodies(call, std::move(body), blocks_of(message.blocks, call.method), false);
    return run_call(Impl::state_of(impl_), std::move(call));
}

asio::awaitable<ChatResult> WebClient::update_message(std::string ts, OutgoingMessage message) {
    Call call = message_call(impl_->state, "chat.update", message);
    json body{{"channel", message.channel}, {"ts", ts}, {"text", message.text}};
    const auto blocks = blocks_of(message.blocks, call.method);
    set_bodies(call, std::move(body), blocks, !blocks.is_null());
    return run_call(Impl::state_of(impl_), std::move(call));
}

asio::awaitable<ChatResult> WebClient::post_ephemeral(std::string user, OutgoingMessage message) {
    Call call = message_call(impl_->state, "chat.postEphemeral", message);
    json body{{"channel", message.channel}, {"user", user}, {"text", message.text}};
    if (!message.thread_ts.empty()) body["thread_ts"] = message.thread_ts;
    set_bodies(call, std::move(body), blocks_of(message.blocks, call.method), false);
    return run_call(Impl::state_of(impl_), std::move(call));
}

asio::awaitable<ChatResult> WebClient::respond(
    std::string response_url, ResponseUrlMessage message
) {
    if (!is_allowed_response_url(response_url, impl_->state.options.api_url)) {
        log::warn("slack response_url refused: not a Slack URL");
        return ready(failure(ChatError::other, "bad_response_url"));
    }
    Call call;
    call.method = "response_url";
    call.channel = "response_url";
    call.lane = "response_url:" + response_url;
    call.url = std::move(response_url);
    call.answer = Answer::hook;
    call.idempotent = false;  // a response_url post may add a message
    json body{{"text", message.text}};
    body["response_type"] = message.in_channel ? "in_channel" : "ephemeral";
    body["replace_original"] = message.replace_original;
    if (!message.thread_ts.empty()) body["thread_ts"] = message.thread_ts;
    set_bodies(call, std::move(body), blocks_of(message.blocks, call.method), false);
    return run_call(Impl::state_of(impl_), std::move(call));
}

ChatError classify_error(std::string_view code) {
    if (code == "not_in_channel") return ChatError::not_in_channel;
    if (code == "channel_not_found") return ChatError::channel_not_found;
    if (code == "invalid_auth" || code == "not_authed" || code == "token_revoked" ||
        code == "account_inactive") {
        return ChatError::invalid_auth;
    }
    if (code == "ratelimited" || code == "rate_limited") return ChatError::rate_limited;
    if (code == "msg_too_long" || code == "msg_blocks_too_long") return ChatError::too_long;
    return ChatError::other;
}

}  // namespace nra::slack
