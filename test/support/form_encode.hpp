// application/x-www-form-urlencoded encoding, as Slack sends slash commands and interactivity.
#pragma once

#include <cctype>
#include <string>

namespace nra::test {

// application/x-www-form-urlencoded encoding of one value.
inline std::string form_encode(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : value) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace nra::test
