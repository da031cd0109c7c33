// Slack Web API adapter of the ChatClient port, on the shared HTTPS client: JSON bodies with a
// bearer token, `ok:false` codes mapped to ChatError, a plain-text retry when blocks are refused,
// HTTP 429 honouring Retry-After, and about one message per second per channel with short bursts
// (queued in order, as chat.postMessage's "special" tier asks); chat.unfurl, views.publish and
// the three steps of a file upload (files.getUploadURLExternal, the bytes, completeUpload).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "nra/ports/chat_client.hpp"

namespace nra::http {
class Client;
}

namespace nra::slack {

struct WebClientOptions {
    std::string api_url = "https://slack.com/api";  // SLACK_API_URL
    std::string bot_token;                          // xoxb-…: secret, never logged
    std::chrono::milliseconds per_channel_interval{1000};
    std::size_t per_channel_burst = 3;         // messages that may go out back to back
    std::chrono::milliseconds budget{30'000};  // per call, retries and waits included
    std::chrono::milliseconds retry_base_delay{500};
};

class WebClient final : public ChatClient {
public:
    WebClient(http::Client& http, WebClientOptions options);

    boost::asio::awaitable<ChatResult> post_message(OutgoingMessage message) override;
    boost::asio::awaitable<ChatResult> update_message(std::string ts, OutgoingMessage message)
        override;
    boost::asio::awaitable<ChatResult> post_ephemeral(std::string user, OutgoingMessage message)
        override;
    boost::asio::awaitable<ChatResult> respond(std::string response_url, ResponseUrlMessage message)
        override;
    boost::asio::awaitable<ChatResult> unfurl(Unfurl request) override;
    boost::asio::awaitable<ChatResult> publish_home(std::string user_id, Blocks view) override;
    boost::asio::awaitable<ChatResult> upload_file(FileUpload file) override;
    boost::asio::awaitable<ChatResult> add_reaction(
        std::string channel, std::string ts, std::string name
    ) override;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// Pure mapping of a Slack `error` code (exposed for tests).
ChatError classify_error(std::string_view code);

// Where upload_file may send a file's bytes: https://files.slack.com (port 443), or the
// configured API's own origin (tests, the simulator). Pure (exposed for tests).
bool is_allowed_upload_url(std::string_view url, std::string_view api_url);

// Larger files are refused with ChatError::too_long before any call.
inline constexpr std::size_t kMaxUploadBytes = std::size_t{20} << 20;

}  // namespace nra::slack
