// ASCII character classes for parsers of ids, statements and URLs: independent of the C locale
// (unlike std::isdigit and friends) and safe for any char, negative ones included.
#pragma once

namespace nra::ascii {

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace nra::ascii
