// The encodings of a known secret, for redacting it wherever it shows up: in our own log lines and
// in what an upstream echoes back (a Jira error quoting our request). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nra::log {

// Every form in which `secret` may show up: as it is, percent-encoded (either hex case, '+' for a
// space), JSON-escaped, base64 and base64url (padded or not), and the base64 characters that
// depend on the secret alone wherever it sits in a longer base64 text (three alignments: Basic
// auth encodes "email:token", so the token inside it is covered even when the pair was not
// registered). Longest first, no duplicates; empty for a secret shorter than kMinSecret bytes
// (it would redact ordinary words).
inline constexpr std::size_t kMinSecret = 6;
std::vector<std::string> secret_forms(std::string_view secret);

// `text` with every occurrence of one of `forms` (longest first) replaced by "[redacted]".
std::string redact_forms(std::string_view text, const std::vector<std::string>& forms);

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view data);

}  // namespace nra::log
