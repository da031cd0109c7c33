// Shared set-up of the Slack Web API adapter tests: the fake Slack (TLS, test CA), a WebClient
// with short delays built on first use, captured logs, message builders, raw posts to the fake.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "slack/web_client.hpp"
#include "support/fake_slack.hpp"
#include "support/log_capture.hpp"
#include "support/run_async.hpp"
#include "support/test_pki.hpp"

namespace nra::test::web_client {

using std::chrono::milliseconds;

inline constexpr const char* kBlocks =
    R"([{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}])";

struct Harness {
    explicit Harness(FakeServerOptions server = {}) : fake(std::move(server)) {
        options.api_url = fake.api_url();
        options.bot_token = FakeSlack::kBotToken;
        options.per_channel_interval = milliseconds{0};
        options.retry_base_delay = milliseconds{1};
        options.budget = milliseconds{10'000};
        client_options.ca_pem = test_pki().ca_pem;
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    // Built on first use so a test can change the options before.
    slack::WebClient& client() {
        if (!web) {
            http = std::make_unique<http::Client>(ioc.get_executor(), client_options);
            web = std::make_unique<slack::WebClient>(*http, options);
        }
        return *web;
    }

    ChatResult run(boost::asio::awaitable<ChatResult> work) {
        return run_blocking(ioc, std::move(work));
    }

    std::string logs() const { return log.text(); }

    LogCapture log{log::Level::info};
    FakeSlack fake;
    boost::asio::io_context ioc;
    slack::WebClientOptions options;
    http::ClientOptions client_options;
    std::unique_ptr<http::Client> http;
    std::unique_ptr<slack::WebClient> web;
};

inline OutgoingMessage message(std::string channel, std::string text, std::string blocks = {}) {
    OutgoingMessage m;
    m.channel = std::move(channel);
    m.text = std::move(text);
    if (!blocks.empty()) m.blocks = Blocks::parse(blocks);
    return m;
}

// One form-encoded POST straight to the fake (as Slack's own clients send it), bypassing the
// adapter: the JSON answer, a plain-text answer as a JSON string, {"status": N} for another
// status than 200, {"status": 0} when no answer arrived.
inline nlohmann::json post_raw(
    Harness& h, const std::string& url, const std::string& token, std::string body
) {
    h.client();  // builds h.http
    http::Request request;
    request.url = url;
    if (!token.empty()) request.headers.push_back({"Authorization", "Bearer " + token});
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.body = std::move(body);
    auto sent = h.http->send(std::move(request));
    const auto out = run_blocking(h.ioc, std::move(sent));
    if (!out.ok() || out.response.status != 200) {
        return {{"status", out.ok() ? out.response.status : 0}};
    }
    auto doc = nlohmann::json::parse(out.response.body, nullptr, false);
    return doc.is_discarded() ? nlohmann::json(out.response.body) : doc;
}

inline std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace nra::test::web_client
