// The whole bot as Slack sees it: `nr-analyzer serve` in a child process, the fake Slack Web API
// and (optionally) the fake NerdGraph in this process, and signed requests sent the way Slack
// sends them.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "http/client.hpp"
#include "server_process.hpp"
#include "slack/signature.hpp"
#include "support/fake_nerdgraph.hpp"
#include "support/fake_slack.hpp"
#include "support/form_encode.hpp"
#include "support/run_async.hpp"

namespace nra::test {

inline constexpr const char* kSecret = "e2e-signing-secret-8f742231b10e8888";

inline std::int64_t epoch_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch()
    )
        .count();
}

struct SlackE2E {
    explicit SlackE2E(std::map<std::string, std::string> extra = {}) {
        std::map<std::string, std::string> env{
            {"PORT", "0"},
            {"SLACK_SIGNING_SECRET", kSecret},
            {"SLACK_BOT_TOKEN", FakeSlack::kBotToken},
            {"SLACK_API_URL", slack.api_url()},
            {"NR_ANALYZER_JOBS", "1"},  // FIFO jobs: a later reply proves earlier ones are done
        };
        for (auto& [k, v] : extra) env[k] = v;
        server = std::make_unique<ServerProcess>(env);
    }

    struct Reply {
        int status = 0;
        std::string body;
        std::chrono::milliseconds took{0};
    };

    // POSTs `body` to /slack/events, signed with `secret` at `timestamp` (now by default).
    Reply post(
        const std::string& content_type,
        const std::string& body,
        std::map<std::string, std::string> headers = {},
        std::int64_t timestamp = 0,
        const std::string& secret = kSecret
    ) {
        if (timestamp == 0) timestamp = epoch_s();
        const auto ts = std::to_string(timestamp);
        http::Request request;
        request.url = server->url("/slack/events");
        request.body = body;
        request.timeout = std::chrono::seconds(10);
        request.headers.push_back({"Content-Type", content_type});
        request.headers.push_back({"X-Slack-Request-Timestamp", ts});
        request.headers.push_back({"X-Slack-Signature", slack::sign(secret, ts, body)});
        for (auto& [k, v] : headers) {
            for (auto& h : request.headers) {
                if (h.name == k) h.value = v;
            }
            bool present = false;
            for (auto& h : request.headers) present = present || h.name == k;
            if (!present) request.headers.push_back({k, v});
        }
        const auto start = std::chrono::steady_clock::now();
        http::Client client(ioc.get_executor(), client_options);
        auto out = run_blocking(ioc, client.send(std::move(request)));
        Reply r;
        r.took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start
        );
        r.status = out.ok() ? out.response.status : -1;
        r.body = out.response.body;
        return r;
    }

    Reply command(const std::string& text, const std::string& channel = "C1") {
        return command_named("/trace", text, channel);
    }

    Reply command_named(
        const std::string& name, const std::string& text, const std::string& channel = "C1"
    ) {
        const std::string body =
            "token=x&team_id=T1&team_domain=t&channel_id=" + channel +
            "&channel_name=incidents&user_id=U1&user_name=u&command=" + form_encode(name) +
            "&text=" + form_encode(text) +
            "&api_app_id=A1&response_url=" + form_encode(slack.response_url("r1")) +
            "&trigger_id=1.2.3";
        return post("application/x-www-form-urlencoded", body);
    }

    static std::string mention(
        const std::string& event_id, const std::string& text, const std::string& thread_ts
    ) {
        nlohmann::json event{
            {"type", "app_mention"},
            {"user", "U1"},
            {"text", text},
            {"ts", "1700000500.000200"},
            {"channel", "C9"}};
        if (!thread_ts.empty()) event["thread_ts"] = thread_ts;
        return nlohmann::json{
            {"type", "event_callback"},
            {"team_id", "T1"},
            {"api_app_id", "A1"},
            {"event_id", event_id},
            {"event_time", 1700000500},
            {"event", event}}
            .dump();
    }

    // The server's GET /metrics, as Prometheus text.
    std::string metrics() {
        http::Request request;
        request.method = "GET";
        request.url = server->url("/metrics");
        http::Client client(ioc.get_executor(), client_options);
        return run_blocking(ioc, client.send(std::move(request))).response.body;
    }

    http::ClientOptions client_options;  // e.g. the test CA when the server speaks TLS
    FakeSlack slack;
    std::unique_ptr<ServerProcess> server;
    boost::asio::io_context ioc;
};

}  // namespace nra::test
