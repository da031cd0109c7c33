#include "nra/trace_argument.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "core/ascii.hpp"
#include "nra/span.hpp"

namespace nra {
namespace {

using ascii::is_hex;

bool all_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), is_hex);
}

bool all_zero(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

std::optional<TraceArgument> from_id(std::string_view id) {
    if ((id.size() != 16 && id.size() != 32) || !all_hex(id) || all_zero(id)) {
        return std::nullopt;
    }
    TraceArgument arg{ascii_lower(id), {}};
    // Legacy 16-hex New Relic ids are left-padded to 32 in traceparent (reference §5).
    if (id.size() == 32 && all_zero(id.substr(0, 16))) {
        arg.alternates.push_back(arg.trace_id.substr(16));
    }
    return arg;
}

// Standard base64 and base64url decoding; invalid characters end the decoded text.
std::string base64_decode(std::string_view in) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '-') c = '+';
        if (c == '_') c = '/';
        if (c == '=') break;
        auto pos = kAlphabet.find(c);
        if (pos == std::string_view::npos) break;
        buffer = (buffer << 6U) | static_cast<unsigned>(pos);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU));
        }
    }
    return out;
}

std::string percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && is_hex(in[i + 1]) && is_hex(in[i + 2])) {
            out.push_back(static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16)
            ));
            i += 2;
        } else {
            out.push_back(in[i]);
        }
    }
    return out;
}

// Finds a maximal hex run of exactly `len` characters.
std::optional<TraceArgument> scan_for_id(std::string_view text, std::size_t len) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_hex(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && is_hex(text[j])) ++j;
        if (j - i == len) {
            if (auto arg = from_id(text.substr(i, len))) return arg;
        }
        i = j;
    }
    return std::nullopt;
}

std::optional<TraceArgument> scan_text(std::string_view text) {
    if (auto arg = scan_for_id(text, 32)) return arg;
    return scan_for_id(text, 16);
}

std::string_view trim(std::string_view s) {
    const auto* ws = " \t\r\n<>";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

}  // namespace

Result<TraceArgument> parse_trace_argument(std::string_view text) {
    constexpr std::size_t kMaxInput = 8192;
    const auto usage = make_error(
        "expected a trace id (16 or 32 hex characters), a traceparent or a New Relic trace link"
    );
    if (text.size() > kMaxInput) return usage;
    std::string_view t = trim(text);
    if (auto arg = from_id(t)) return *arg;
    // traceparent: version-traceid-parentid-flags
    if (t.size() == 55 && t[2] == '-' && t[35] == '-' && t[52] == '-') {
        auto id = t.substr(3, 32);
        if (all_hex(t.substr(0, 2)) && all_hex(t.substr(36, 16)) && !all_zero(t.substr(36, 16))) {
            if (auto arg = from_id(id)) return *arg;
        }
        return usage;
    }
    if (t.find("://") == std::string_view::npos) return usage;
    // A link: try the decoded URL, then base64 JSON payloads of its parameters.
    std::string decoded = percent_decode(t);
    if (auto arg = scan_text(decoded)) return *arg;
    std::size_t pos = 0;
    while ((pos = decoded.find('=', pos)) != std::string::npos) {
        ++pos;
        auto end = decoded.find_first_of("&#", pos);
        auto value =
            std::string_view(decoded).substr(pos, end == std::string::npos ? end : end - pos);
        if (auto arg = scan_text(base64_decode(value))) return *arg;
    }
    return usage;
}

std::vector<TraceArgument> find_trace_arguments(std::string_view text, std::size_t max) {
    constexpr std::size_t kMaxText = 40'000;  // Slack's message limit
    std::vector<TraceArgument> found;
    text = text.substr(0, kMaxText);
    std::size_t i = 0;
    while (i < text.size() && found.size() < max) {
        const auto start = text.find_first_not_of(" \t\r\n<>|", i);
        if (start == std::string_view::npos) break;
        auto end = text.find_first_of(" \t\r\n<>|", start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view word = text.substr(start, end - start);
        while (!word.empty() &&
               std::string_view(".,;:!?)(\"'`*_").find(word.back()) != std::string_view::npos) {
            word.remove_suffix(1);
        }
        while (!word.empty() &&
               std::string_view("(\"'`*_").find(word.front()) != std::string_view::npos) {
            word.remove_prefix(1);
        }
        if (auto arg = parse_trace_argument(word)) {
            bool seen = false;
            for (const auto& f : found) seen = seen || f.trace_id == arg->trace_id;
            if (!seen) found.push_back(std::move(arg).value());
        }
        i = end;
    }
    return found;
}

}  // namespace nra
