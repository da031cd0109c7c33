#include "log/secret_forms.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "log/log_format.hpp"

namespace nra::log {
namespace {

constexpr std::string_view kRedactedForm = "[redacted]";
constexpr std::size_t kMinCore = 8;  // base64 characters of a secret inside a longer text

bool unreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Percent-encoding of every byte outside RFC 3986's unreserved set; `plus`: a space is '+'.
std::string percent_encoded(std::string_view text, bool lower, bool plus) {
    std::string out;
    for (const char c : text) {
        if (unreserved(c)) {
            out += c;
        } else if (plus && c == ' ') {
            out += '+';
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += lower ? fmt::format("%{:02x}", byte) : fmt::format("%{:02X}", byte);
        }
    }
    return out;
}

std::string url_safe(std::string text) {
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    return text;
}

// The base64 characters of `secret` preceded by `shift` other bytes: only those whose six bits
// all come from the secret.
std::string base64_core(std::string_view secret, std::size_t shift) {
    const std::string encoded = base64_encode(std::string(shift, '\0') + std::string(secret));
    const std::size_t first = (shift * 8 + 5) / 6;
    const std::size_t end = (shift + secret.size()) * 8 / 6;
    return end > first ? encoded.substr(first, end - first) : std::string();
}

// Base64 text is often percent-encoded in turn (a header quoted in a URL or a form): '+', '/'
// and '=' then become %2B, %2F and %3D.
void add_base64_form(std::vector<std::string>& forms, std::string form) {
    forms.push_back(percent_encoded(form, false, false));
    forms.push_back(url_safe(form));
    forms.push_back(std::move(form));
}

void add_base64_forms(std::vector<std::string>& forms, std::string_view secret) {
    add_base64_form(forms, base64_encode(secret));
    for (std::size_t shift = 0; shift < 3; ++shift) {
        auto core = base64_core(secret, shift);
        if (core.size() >= kMinCore) add_base64_form(forms, std::move(core));
    }
}

}  // namespace

std::string base64_encode(std::string_view data) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const auto n = (static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16U) |
                       (static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8U) |
                       static_cast<unsigned>(static_cast<unsigned char>(data[i + 2]));
        for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63U];
    }
    const auto rest = data.size() - i;
    if (rest == 0) return out;
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(data[i])) << 16U;
    if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(data[i + 1])) << 8U;
    out += kAlphabet[(n >> 18U) & 63U];
    out += kAlphabet[(n >> 12U) & 63U];
    out += rest == 2 ? kAlphabet[(n >> 6U) & 63U] : '=';
    out += '=';
    return out;
}

std::vector<std::string> secret_forms(std::string_view secret) {
    std::vector<std::string> forms;
    if (secret.size() < kMinSecret) return forms;
    forms.emplace_back(secret);
    for (const bool lower : {false, true}) {
        for (const bool plus : {false, true}) forms.push_back(percent_encoded(secret, lower, plus));
    }
    const std::string json = json_string(secret);
    forms.push_back(json.substr(1, json.size() - 2));
    add_base64_forms(forms, secret);
    std::sort(forms.begin(), forms.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
    return forms;
}

std::string redact_forms(std::string_view text, const std::vector<std::string>& forms) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto found = std::find_if(forms.begin(), forms.end(), [&](const std::string& f) {
            return !f.empty() && text.compare(i, f.size(), f) == 0;
        });
        if (found == forms.end()) {
            out += text[i++];
            continue;
        }
        out += kRedactedForm;
        i += found->size();
    }
    return out;
}

}  // namespace nra::log
