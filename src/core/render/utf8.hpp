// Private: UTF-8 decoding for the renderers' text helpers (text_util.cpp, slack_escape.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nra::render_detail {

constexpr std::uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at text[i] and advances i; malformed input (bad lead, truncated,
// overlong, surrogate, > U+10FFFF) consumes one byte and yields kInvalid.
inline std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
        len = 2;
        cp = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
        len = 3;
        cp = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
        len = 4;
        cp = lead & 0x07u;
    } else {
        ++i;
        return kInvalid;
    }
    if (i + len > text.size()) {
        ++i;
        return kInvalid;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto byte = static_cast<unsigned char>(text[i + k]);
        if ((byte & 0xC0) != 0x80) {
            ++i;
            return kInvalid;
        }
        cp = (cp << 6) | (byte & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalid;
    }
    i += len;
    return cp;
}

// Control characters and line separators: they would break a line layout, so they become spaces.
inline bool is_control(std::uint32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Zero-width characters and bidi controls: invisible, yet they hide text or reorder what a reader
// sees (a name that reads "txt.exe" backwards), so they are dropped. Joiners (U+200C, U+200D)
// stay: scripts and emoji sequences need them.
inline bool is_invisible(std::uint32_t cp) {
    return cp == 0x200B || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           cp == 0x2060 || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C || cp == 0xFEFF;
}

inline std::size_t units_of(std::uint32_t cp) {
    return cp != kInvalid && cp >= 0x10000 ? 2 : 1;
}

}  // namespace nra::render_detail
