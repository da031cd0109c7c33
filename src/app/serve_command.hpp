// `nr-analyzer serve`: the Slack bot server. HTTP (or TLS) on PORT with /slack/events and
// /healthz; New Relic or the demo dataset behind it; Slack's Web API (SLACK_API_URL) to post.
// Without SLACK_SIGNING_SECRET it runs in demo mode: localhost only, a fixed demo secret, and
// posts go to the local simulator (`nr-analyzer simulate`).
#pragma once

#include <optional>
#include <string>

namespace nra {

inline constexpr const char* kDemoSigningSecret = "nr-analyzer-demo-signing-secret";
inline constexpr const char* kDemoBotToken = "xoxb-nr-analyzer-demo";
inline constexpr unsigned short kDemoSlackPort = 3001;
// On the embedded defaults this channel is an alert channel, so `simulate --alert` is answered.
inline constexpr const char* kDemoAlertChannel =
    "C0DEMOALERTS";  // where `simulate` plays Slack's Web API

// Runs until SIGTERM/SIGINT, then stops gracefully. Returns the process exit code.
// `config_path`: --config FILE (the /improve configuration).
int run_serve_command(const std::optional<std::string>& config_path = std::nullopt);

}  // namespace nra
