// Pure pieces of the log writer: the line formats (text and JSON) and the scrubbing of secrets.
// No I/O, no globals, so they are unit-tested with plain values.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "log/log.hpp"

namespace nra::log {

struct LineFields {
    Level level = Level::info;
    std::string_view request_id;  // empty: none
    std::string_view message;
    std::chrono::system_clock::time_point time;
};

// One line without its newline. Text: "[warn] [req=ab12] message" ("[req=…]" only with an id).
// JSON: {"time":"2026-11-23T06:50:00.123Z","level":"warn","request_id":"ab12","msg":"…"}
// (request_id only with an id). In both, every field value is escaped so that a line is always
// exactly one line and reads as written: backslash, \n, \r, \t, and \uXXXX for the other C0
// and C1 controls, DEL, U+2028/U+2029 and the bidi controls; an ill-formed UTF-8 byte becomes
// \xNN in text and \ufffd in JSON. A value from outside (a command, an event type) can therefore
// never start a forged line.
std::string format_line(Format format, const LineFields& fields);

// "2026-11-23T06:50:00.123Z" (UTC, milliseconds).
std::string format_utc(std::chrono::system_clock::time_point time);

// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

// Replaces what looks like a credential with "[redacted]": Slack tokens (xoxb-, xoxp-, xoxa-,
// xoxr-, xoxs-, xoxe-, xoxe., xapp-), New Relic keys (NRAK-, NRII-), the credential after
// "Bearer " / "Basic ", the password of a URL's userinfo (scheme://user:password@) and the lone
// userinfo of redis:// and rediss:// URLs (clients read it as the password).
std::string scrub_secrets(std::string_view text);

// "json" / "text" (any case); anything else: false.
bool parse_format(std::string_view name, Format& out);

}  // namespace nra::log
