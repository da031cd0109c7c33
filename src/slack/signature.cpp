#include "slack/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace nra::slack {
namespace {

constexpr std::string_view kVersionPrefix = "v0=";
constexpr std::int64_t kMaxSkewSeconds = 300;
constexpr std::size_t kSha256Size = 32;
constexpr std::size_t kSignatureSize = kVersionPrefix.size() + 2 * kSha256Size;

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string to_hex(const unsigned char* data, std::size_t size) {
    static constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out;
    out.reserve(2 * size);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4U]);
        out.push_back(kDigits[data[i] & 0x0FU]);
    }
    return out;
}

// Written without subtraction of arbitrary values so no timestamp can overflow it.
bool is_stale(std::int64_t ts, std::int64_t now_s) {
    return now_s < ts - kMaxSkewSeconds || now_s > ts + kMaxSkewSeconds;
}

}  // namespace

std::string_view to_string(SignatureCheck check) {
    switch (check) {
        case SignatureCheck::ok:
            return "ok";
        case SignatureCheck::missing:
            return "missing";
        case SignatureCheck::malformed:
            return "malformed";
        case SignatureCheck::stale:
            return "stale";
        case SignatureCheck::mismatch:
            return "mismatch";
    }
    return "unknown";
}

std::string sign(
    std::string_view signing_secret, std::string_view timestamp, std::string_view body
) {
    std::string base;
    base.reserve(3 + timestamp.size() + 1 + body.size());
    base.append("v0:").append(timestamp).append(":").append(body);

    // HMAC() wants a non-null key even when it is empty.
    static constexpr std::array<unsigned char, 1> kEmptyKey{0};
    const void* key = signing_secret.empty() ? static_cast<const void*>(kEmptyKey.data())
                                             : static_cast<const void*>(signing_secret.data());
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    if (HMAC(
            EVP_sha256(),
            key,
            static_cast<int>(signing_secret.size()),
            reinterpret_cast<const unsigned char*>(base.data()),
            base.size(),
            mac.data(),
            &mac_size
        ) == nullptr ||
        mac_size != kSha256Size) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(kVersionPrefix) + to_hex(mac.data(), mac_size);
}

SignatureCheck verify_signature(
    std::string_view signing_secret,
    std::string_view timestamp_header,
    std::string_view signature_header,
    std::string_view body,
    std::int64_t now_s
) {
    if (timestamp_header.empty() || signature_header.empty()) return SignatureCheck::missing;
    if (!all_digits(timestamp_header) || !signature_header.starts_with(kVersionPrefix)) {
        return SignatureCheck::malformed;
    }
    std::int64_t ts = 0;
    const auto* end = timestamp_header.data() + timestamp_header.size();
    const auto [ptr, ec] = std::from_chars(timestamp_header.data(), end, ts);
    // All digits but too large for int64: certainly not within five minutes of now.
    if (ec == std::errc::result_out_of_range) return SignatureCheck::stale;
    if (ec != std::errc{} || ptr != end) return SignatureCheck::malformed;
    if (is_stale(ts, now_s)) return SignatureCheck::stale;
    if (signature_header.size() != kSignatureSize) return SignatureCheck::mismatch;

    const std::string expected = sign(signing_secret, timestamp_header, body);
    // Constant time over equal lengths, so the comparison leaks nothing about the expected MAC.
    const bool equal = CRYPTO_memcmp(expected.data(), signature_header.data(), kSignatureSize) == 0;
    return equal ? SignatureCheck::ok : SignatureCheck::mismatch;
}

}  // namespace nra::slack
