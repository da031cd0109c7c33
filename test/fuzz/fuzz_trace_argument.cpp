// libFuzzer harness for trace-id extraction (include/nra/trace_argument.hpp): from raw text, a
// traceparent or a New Relic link. An accepted id is 16 or 32 lower-case hex digits, not all
// zero, and comes from the input (as typed, percent-decoded, or inside a base64 parameter): no
// other input character can reach the NRQL built from it. Ids the contract promises to accept
// (bare ids, traceparents, links carrying one) are accepted.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "nra/trace_argument.hpp"

namespace nra::fuzz::trace_argument {

using nra::fuzz::check;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
            hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Lenient base64/base64url of a prefix (stops at the first other character).
std::string base64_prefix(std::string_view s) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : s) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        if (c >= '0' && c <= '9') v = c - '0' + 52;
        if (c == '+' || c == '-') v = 62;
        if (c == '/' || c == '_') v = 63;
        if (v < 0) break;
        buffer = (buffer << 6U) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
        }
    }
    return out;
}

// Whether `id` is in the text as typed, percent-decoded, or base64-decoded after some '='.
bool comes_from(const std::string& id, std::string_view text) {
    if (lower(text).find(id) != std::string::npos) return true;
    const std::string decoded = percent_decoded(text);
    if (lower(decoded).find(id) != std::string::npos) return true;
    for (auto eq = decoded.find('='); eq != std::string::npos; eq = decoded.find('=', eq + 1)) {
        if (lower(base64_prefix(std::string_view(decoded).substr(eq + 1))).find(id) !=
            std::string::npos) {
            return true;
        }
    }
    return false;
}

void check_argument(const nra::TraceArgument& arg, std::string_view text) {
    const auto& id = arg.trace_id;
    check(id.size() == 16 || id.size() == 32, "id length", id);
    check(
        std::all_of(
            id.begin(),
            id.end(),
            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
        ),
        "id is not lower-case hex",
        id
    );
    check(id.find_first_not_of('0') != std::string::npos, "all-zero id accepted");
    check(comes_from(id, text), "id not taken from the input", id);
    for (const auto& alt : arg.alternates) {
        check(
            id.size() == 32 && id.starts_with("0000000000000000") && alt == id.substr(16),
            "alternate is not the suffix of a zero-padded id",
            alt
        );
    }
}

std::string hex_of(std::string_view bytes, std::size_t digits) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; out.size() < digits; ++i) {
        const auto b = i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0U;
        out += kHex[b >> 4U];
        out += kHex[b & 15U];
    }
    return out;
}

// Well-formed arguments built from the input must be accepted with the expected id.
void check_accepted(std::string_view text) {
    const std::string id32 = hex_of(text, 32);
    const bool zero = id32.find_first_not_of('0') == std::string::npos;
    const auto expect = [&](const std::string& arg, const std::string& want) {
        const auto got = nra::parse_trace_argument(arg);
        check(zero ? !got.ok() : (got.ok() && got->trace_id == want), "well-formed refused", arg);
    };
    expect(id32, lower(id32));
    expect(" <" + id32 + ">\n", lower(id32));
    expect("00-" + id32 + "-00f067aa0ba902b7-01", lower(id32));
    expect("https://one.newrelic.com/distributed-tracing?id=" + id32 + "&x=1", lower(id32));
    const auto found = nra::find_trace_arguments("see " + id32 + ", please", 3);
    check(found.size() == (zero ? 0U : 1U), "id in a sentence not found once");
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    const std::size_t size = input.size();
    const std::string_view text = input;
    const auto parsed = nra::parse_trace_argument(text);
    if (parsed) {
        check_argument(*parsed, text);
    } else {
        nra::fuzz::check_error_line(parsed.error(), 120);
    }
    const std::size_t max = size % 5;
    const auto found = nra::find_trace_arguments(text, max);
    check(found.size() <= max, "more arguments than asked for");
    for (std::size_t i = 0; i < found.size(); ++i) {
        check_argument(found[i], text);
        for (std::size_t j = 0; j < i; ++j) {
            check(found[i].trace_id != found[j].trace_id, "the same id twice");
        }
    }
    check_accepted(text);
}

}  // namespace nra::fuzz::trace_argument

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::trace_argument::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
