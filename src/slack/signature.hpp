// Slack request signing, v0 (docs.slack.dev/authentication/verifying-requests-from-slack):
// HMAC-SHA256 over "v0:" + timestamp + ":" + raw body, keyed with the signing secret, compared in
// constant time; timestamps more than 300 s away from now, in either direction, are refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nra::slack {

enum class SignatureCheck { ok, missing, malformed, stale, mismatch };

std::string_view to_string(SignatureCheck check);

// `now_s` is epoch seconds. Never logs or returns the secret.
SignatureCheck verify_signature(
    std::string_view signing_secret,
    std::string_view timestamp_header,
    std::string_view signature_header,
    std::string_view body,
    std::int64_t now_s
);

// "v0=" + lower-case hex HMAC: what Slack would send (the simulator and tests sign with it).
std::string sign(
    std::string_view signing_secret, std::string_view timestamp, std::string_view body
);

}  // namespace nra::slack
