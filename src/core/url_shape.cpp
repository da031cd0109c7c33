// URL shapes for grouping HTTP calls: the endpoint without scheme, credentials, query and ids.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/ascii.hpp"
#include "nra/statement.hpp"

namespace nra {
namespace {

using ascii::is_digit;
using ascii::is_hex;

bool is_uuid(std::string_view seg) {
    if (seg.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < seg.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? seg[i] != '-' : !is_hex(seg[i])) {
            return false;
        }
    }
    return true;
}

// Numbers, UUIDs and hex hashes of 10+ characters (with at least one digit, so that long words
// made of a–f letters stay) identify a resource, not an endpoint.
bool is_id_segment(std::string_view seg) {
    if (seg.empty()) {
        return false;
    }
    bool all_digits = true;
    bool all_hex = true;
    bool any_digit = false;
    for (const char c : seg) {
        all_digits = all_digits && is_digit(c);
        all_hex = all_hex && is_hex(c);
        any_digit = any_digit || is_digit(c);
    }
    return all_digits || is_uuid(seg) || (all_hex && any_digit && seg.size() >= 10);
}

}  // namespace

std::string normalize_url(std::string_view url) {
    if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
        url.remove_prefix(scheme + 3);
    }
    url = url.substr(0, url.find_first_of("?#"));
    // user:password@host: never let credentials into a shape that ends up in Slack.
    const std::size_t slash = url.find('/');
    if (const std::size_t at = url.substr(0, slash).rfind('@'); at != std::string_view::npos) {
        url.remove_prefix(at + 1);
    }
    std::string out;
    out.reserve(url.size());
    std::size_t i = 0;
    while (i <= url.size()) {
        const std::size_t next = std::min(url.find('/', i), url.size());
        const std::string_view seg = url.substr(i, next - i);
        // The host (first segment of an absolute URL) is kept even if it looks numeric.
        const bool host = i == 0 && slash != 0;
        out += (!host && is_id_segment(seg)) ? std::string_view("*") : seg;
        if (next < url.size()) {
            out += '/';
        }
        i = next + 1;
    }
    return out;
}

}  // namespace nra
