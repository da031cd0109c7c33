#include "newrelic/nrql_quote.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace nra {
namespace {

// Length of the UTF-8 sequence starting at `s[i]`, or 0 when it is malformed (overlong forms,
// surrogates and code points above U+10FFFF included).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if (b0 < 0x80) return 1;
    if ((b0 & 0xE0U) == 0xC0U) {
        n = 2;
        min = 0x80;
        cp = b0 & 0x1FU;
    } else if ((b0 & 0xF0U) == 0xE0U) {
        n = 3;
        min = 0x800;
        cp = b0 & 0x0FU;
    } else if ((b0 & 0xF8U) == 0xF0U) {
        n = 4;
        min = 0x10000;
        cp = b0 & 0x07U;
    } else
        return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0U) != 0x80U) return 0;
        cp = (cp << 6U) | (b & 0x3FU);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

}  // namespace

Result<std::string> nrql_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('\'');
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            return make_error(fmt::format("control character 0x{:02x} in a name", c));
        }
        const std::size_t n = utf8_length(text, i);
        if (n == 0) return make_error("invalid UTF-8 in a name");
        if (c == '\\' || c == '\'') out.push_back('\\');
        out.append(text.substr(i, n));
        i += n;
    }
    out.push_back('\'');
    return out;
}

bool is_query_safe_trace_id(std::string_view id) {
    if (id.size() < 16 || id.size() > 32) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

}  // namespace nra
