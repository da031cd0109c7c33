// Private to the Slack Web API adapter (web_client*.cpp): its shared state, the shape of one
// call, and the send/answer helpers that the message, unfurl, Home and file methods all use.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "slack/pacer.hpp"
#include "slack/web_client.hpp"

namespace nra::slack::detail {

inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";
inline constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
inline constexpr milliseconds kAttemptTimeout{10'000};

// How a call is authenticated and how its answer reads.
enum class Answer {
    api,     // Web API method: bearer token, JSON answer with `ok`
    hook,    // response_url: no token, "ok" or a plain-text error code
    upload,  // raw bytes to an upload_url: no token, HTTP 200 is success
};

// One ChatClient call: a full body, and the plain-text body to try once if Slack refuses it.
struct Call {
    std::string method;  // "chat.postMessage", … or "response_url"
    std::string url;
    std::string lane;     // pacing and ordering key (see Pacer)
    std::string channel;  // for results and logs; never a response_url or upload_url (credentials)
    Answer answer = Answer::api;
    std::string content_type{kJsonType};
    std::string body;
    std::optional<std::string> fallback;
    milliseconds attempt_timeout = kAttemptTimeout;
    bool idempotent = true;  // false: not sent again once it reached Slack, unless refused (429)
};

// A call's outcome and the body of the answer it was read from (for methods whose answer
// carries more than `channel` and `ts`, such as files.getUploadURLExternal).
struct Reply {
    ChatResult result;
    std::string body;
};

struct State {
    State(http::Client& client, WebClientOptions opts)
        : http(client),
          options(std::move(opts)),
          pacer(options.per_channel_interval, options.per_channel_burst) {
        while (!options.api_url.empty() && options.api_url.back() == '/')
            options.api_url.pop_back();
    }

    http::Client& http;
    WebClientOptions options;
    Pacer pacer;
};

using StatePtr = std::shared_ptr<State>;

ChatResult failure(ChatError error, std::string code = {});

// "scheme://host:port" of an http(s) URL without user info; empty when it is not one.
std::string origin_of(std::string_view url);

// The whole call: wait for the lane's turn, send with retries within the budget, retry once as
// plain text if blocks are refused, log the outcome (never bodies, tokens or URLs).
boost::asio::awaitable<Reply> run_call_reply(StatePtr state, Call call);
boost::asio::awaitable<ChatResult> run_call(StatePtr state, Call call);

// An already-decided result as an awaitable (refusals made before any request).
boost::asio::awaitable<ChatResult> ready(ChatResult result);

// A Web API method call to <api_url>/<method>, logged under `channel`, paced on `lane`.
Call api_call(const State& state, std::string method, std::string channel, std::string lane);

// application/x-www-form-urlencoded body of the non-empty fields, in order.
std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace nra::slack::detail

namespace nra::slack {

struct WebClient::Impl {
    Impl(http::Client& http, WebClientOptions options) : state(http, std::move(options)) {}
    detail::State state;

    // Shares ownership of the whole Impl: calls in flight keep it alive.
    static detail::StatePtr state_of(const std::shared_ptr<Impl>& impl) {
        return {impl, &impl->state};
    }
};

}  // namespace nra::slack
