// Socket Mode frames (docs.slack.dev/apis/events-api/using-socket-mode): what a text frame from
// Slack says (hello, disconnect, an envelope to acknowledge) and the acknowledgement we send
// back. Pure; never throws: anything unreadable is a `Malformed` value with a reason for the log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace nra::slack {

struct Hello {
    int num_connections = 0;
    int approximate_connection_time_s = 0;  // when Slack expects to refresh this connection
};

struct Disconnect {
    std::string reason;  // "warning", "refresh_requested", "link_disabled", …
};

// NOLINTNEXTLINE(bugprone-exception-escape): json's default and move constructors do not throw.
struct Envelope {
    std::string envelope_id;
    std::string type;  // "events_api", "slash_commands", "interactive"
    nlohmann::json payload;
    int retry_attempt = 0;
    std::string retry_reason;
    bool accepts_response_payload = false;
};

struct Malformed {
    std::string why;  // one line, no payload content
};

using SocketFrame = std::variant<Hello, Disconnect, Envelope, Malformed>;

SocketFrame parse_socket_frame(std::string_view text);

// {"envelope_id": id} plus "payload" when `payload_json` is a JSON object (a slash command's
// immediate answer); anything else is left out.
std::string ack_frame(const std::string& envelope_id, std::string_view payload_json);

}  // namespace nra::slack
