// The secrets of this process's configuration, registered with the log at start-up so that no
// line carries them in any encoding (log::add_secret): the Slack bot and app tokens and signing
// secret, the New Relic key, Jira's token and email and their Basic pair, the Redis password.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace nra {

// `env`: NAME → value (env_value in the binary); a lookup that throws is skipped (the real
// configuration reports it).
void register_log_secrets(const std::function<std::optional<std::string>(std::string_view)>& env);

}  // namespace nra
