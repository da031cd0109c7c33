#include "log/log_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <ctime>
#include <optional>

namespace nra::log {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

unsigned char byte_at(std::string_view s, std::size_t i) {
    return static_cast<unsigned char>(s[i]);
}

bool in_range(std::string_view s, std::size_t i, unsigned lo, unsigned hi) {
    return i < s.size() && byte_at(s, i) >= lo && byte_at(s, i) <= hi;
}

// Length of the well-formed UTF-8 sequence starting at s[i] (a non-ASCII lead byte), or 0
// (overlongs, surrogates, code points above U+10FFFF and truncated sequences are ill-formed).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const unsigned lead = byte_at(s, i);
    std::size_t length = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    if (lead >= 0xE0 && lead <= 0xEF) length = 3;
    if (lead >= 0xF0 && lead <= 0xF4) length = 4;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
    if (length == 0 || !in_range(s, i + 1, lo, hi)) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if (!in_range(s, i + k, 0x80, 0xBF)) return 0;
    }
    return length;
}

// The code point of the well-formed sequence of `length` bytes at s[i].
char32_t code_point(std::string_view s, std::size_t i, std::size_t length) {
    static constexpr unsigned kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
    char32_t cp = byte_at(s, i) & kLeadMask[length];
    for (std::size_t k = 1; k < length; ++k) cp = (cp << 6U) | (byte_at(s, i + k) & 0x3FU);
    return cp;
}

// What a log line must never carry raw: anything a terminal or log viewer takes for a line break
// (C0, DEL, C1 with NEL, U+2028/U+2029) or that reorders the text shown (bidi controls).
bool must_escape(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

// The short escapes both formats share; false for any other character.
bool append_short_escape(std::string& out, char c) {
    switch (c) {
        case '\\':
            out += "\\\\";
            return true;
        case '\n':
            out += "\\n";
            return true;
        case '\r':
            out += "\\r";
            return true;
        case '\t':
            out += "\\t";
            return true;
        default:
            return false;
    }
}

// Appends `text` escaped for a log line: the short escapes, \uXXXX for the other characters of
// must_escape(), and for each ill-formed UTF-8 byte `invalid(byte)`. JSON also escapes '"'.
template <typename Invalid>
void append_escaped(std::string& out, std::string_view text, bool json, Invalid invalid) {
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (byte_at(text, i) < 0x80) {
            if (json && c == '"') {
                out += "\\\"";
            } else if (!append_short_escape(out, c)) {
                if (must_escape(byte_at(text, i))) {
                    out += fmt::format("\\u{:04x}", byte_at(text, i));
                } else {
                    out += c;
                }
            }
            ++i;
            continue;
        }
        const std::size_t length = utf8_length(text, i);
        if (length == 0) {
            out += invalid(byte_at(text, i));
            ++i;
            continue;
        }
        const char32_t cp = code_point(text, i, length);
        if (must_escape(cp)) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
}

// A field of a text line: one line whatever it holds, ill-formed bytes shown as \xNN.
std::string text_field(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text, false, [](unsigned char byte) {
        return fmt::format("\\x{:02x}", byte);
    });
    return out;
}

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
        const auto a = static_cast<unsigned char>(text[at + k]);
        if (std::tolower(a) != static_cast<unsigned char>(word[k])) return false;
    }
    return true;
}

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_token_char(char c) {
    return is_alnum(c) || c == '-' || c == '_';
}

// Characters of an HTTP credential (token68 of RFC 9110, plus '.' and '~' of JWTs and friends).
bool is_credential_char(char c) {
    return is_alnum(c) || std::string_view("-._~+/=").find(c) != std::string_view::npos;
}

std::size_t run_length(std::string_view text, std::size_t at, bool (*accept)(char)) {
    std::size_t end = at;
    while (end < text.size() && accept(text[end])) ++end;
    return end - at;
}

struct Match {
    std::size_t length;  // bytes of `text` consumed
    std::string replacement;
};

// A Slack token or New Relic key at `at`: the whole token goes.
std::optional<Match> match_token(std::string_view text, std::size_t at) {
    static constexpr std::array<std::string_view, 10> kPrefixes = {
        "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xoxe.", "xapp-", "NRAK-", "NRII-"};
    for (const auto prefix : kPrefixes) {
        if (text.compare(at, prefix.size(), prefix) != 0) continue;
        const std::size_t body = run_length(text, at + prefix.size(), is_token_char);
        if (body == 0) return std::nullopt;
        return Match{prefix.size() + body, std::string(kRedacted)};
    }
    return std::nullopt;
}

// "Bearer <credential>" / "Basic <credential>" (any case): the scheme stays, the credential goes.
std::optional<Match> match_auth_scheme(std::string_view text, std::size_t at) {
    if (at > 0 && is_alnum(text[at - 1])) return std::nullopt;
    for (const std::string_view scheme : {std::string_view("bearer"), std::string_view("basic")}) {
        if (!starts_with_nocase(text, at, scheme)) continue;
        std::size_t pos = at + scheme.size();
        const std::size_t spaces = pos;
        while (pos < text.size() && text[pos] == ' ') ++pos;
        if (pos == spaces) return std::nullopt;
        const std::size_t credential = run_length(text, pos, is_credential_char);
        if (credential == 0) return std::nullopt;
        return Match{
            pos - at + credential, fmt::format("{} {}", text.substr(at, scheme.size()), kRedacted)};
    }
    return std::nullopt;
}

// "scheme://userinfo@": a password after ':' goes; a lone userinfo goes for redis URLs.
std::optional<Match> match_userinfo(std::string_view text, std::size_t at) {
    if (text.compare(at, 3, "://") != 0) return std::nullopt;
    std::size_t scheme = at;
    while (scheme > 0 && (is_alnum(text[scheme - 1]) || text[scheme - 1] == '+')) --scheme;
    const std::size_t start = at + 3;
    const std::size_t end = std::min(text.find_first_of("/?# \t\r\n\"'<>", start), text.size());
    const std::size_t at_sign = text.rfind('@', end - 1);
    if (at_sign == std::string_view::npos || at_sign < start) return std::nullopt;
    const std::string_view userinfo = text.substr(start, at_sign - start);
    const std::size_t colon = userinfo.find(':');
    const bool redis = starts_with_nocase(text, scheme, "redis");
    // Already masked, e.g. RedisEndpoint::redacted()'s "redis://***@host": leave it readable.
    const auto secret = colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1);
    if (secret == "***" || secret == kRedacted) return std::nullopt;
    std::string kept;
    if (colon != std::string_view::npos) {
        if (colon + 1 == userinfo.size()) return std::nullopt;  // "user:@": no password
        kept = fmt::format("://{}:{}@", userinfo.substr(0, colon), kRedacted);
    } else if (redis && !userinfo.empty()) {
        kept = fmt::format("://{}@", kRedacted);
    } else {
        return std::nullopt;
    }
    return Match{at_sign + 1 - at, std::move(kept)};
}

}  // namespace

std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    append_escaped(out, text, true, [](unsigned char) {
        return std::string("\\ufffd");  // one replacement per ill-formed byte
    });
    out += '"';
    return out;
}

std::string format_utc(std::chrono::system_clock::time_point time) {
    using std::chrono::milliseconds;
    const auto ms = std::chrono::duration_cast<milliseconds>(time.time_since_epoch()).count();
    auto seconds = static_cast<std::time_t>(ms / 1000);
    auto millis = ms % 1000;
    if (millis < 0) {  // before 1970: floor, not truncation
        millis += 1000;
        --seconds;
    }
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        millis
    );
}

std::string format_line(Format format, const LineFields& fields) {
    if (format == Format::text) {
        if (fields.request_id.empty()) {
            return fmt::format("[{}] {}", to_string(fields.level), text_field(fields.message));
        }
        return fmt::format(
            "[{}] [req={}] {}",
            to_string(fields.level),
            text_field(fields.request_id),
            text_field(fields.message)
        );
    }
    std::string line = fmt::format(
        R"({{"time":"{}","level":"{}")", format_utc(fields.time), to_string(fields.level)
    );
    if (!fields.request_id.empty()) {
        line += R"(,"request_id":)" + json_string(fields.request_id);
    }
    line += R"(,"msg":)" + json_string(fields.message) + "}";
    return line;
}

std::string scrub_secrets(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto match = match_token(text, i);
        if (!match) match = match_auth_scheme(text, i);
        if (!match) match = match_userinfo(text, i);
        if (match) {
            out += match->replacement;
            i += match->length;
        } else {
            out += text[i];
            ++i;
        }
    }
    return out;
}

bool parse_format(std::string_view name, Format& out) {
    if (name.size() == 4 && starts_with_nocase(name, 0, "json")) {
        out = Format::json;
        return true;
    }
    if (name.size() == 4 && starts_with_nocase(name, 0, "text")) {
        out = Format::text;
        return true;
    }
    return false;
}

}  // namespace nra::log
