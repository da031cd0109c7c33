// A Slack request to `POST /slack/events` as Slack signs it (v0 HMAC over the raw body, at epoch
// second `now`), for tests that call the events endpoint in-process.
#pragma once

#include <cstdint>
#include <string>

#include "http/server.hpp"
#include "slack/signature.hpp"

namespace nra::test {

inline http::ServerRequest signed_slack_request(
    const std::string& secret,
    std::int64_t now,
    const std::string& content_type,
    const std::string& body
) {
    http::ServerRequest r;
    r.method = "POST";
    r.target = "/slack/events";
    r.body = body;
    const auto ts = std::to_string(now);
    r.headers = {
        {"Content-Type", content_type},
        {"X-Slack-Request-Timestamp", ts},
        {"X-Slack-Signature", slack::sign(secret, ts, body)}};
    return r;
}

}  // namespace nra::test
