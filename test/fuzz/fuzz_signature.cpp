// libFuzzer harness for the Slack v0 request signature check (src/slack/signature.*).
// Input: "<X-Slack-Request-Timestamp>\n<X-Slack-Signature>\n<raw body>". Checked against an
// independent model: OpenSSL's HMAC-SHA256 computed here, and the documented decision order
// (missing → malformed → stale → length → constant-time compare). A signature the harness makes
// itself must verify; with any one byte changed, or a timestamp outside ±300 s, it must not.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "slack/signature.hpp"

namespace nra::fuzz::signature {

using nra::slack::SignatureCheck;
using nra::slack::verify_signature;

constexpr std::string_view kSecret = "8f742231b10e8888abcd99yyyzzz85a5";  // Slack docs' example
constexpr std::int64_t kWindow = 300;

std::string reference_sign(std::string_view ts, std::string_view body) {
    const std::string base = "v0:" + std::string(ts) + ":" + std::string(body);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int size = 0;
    HMAC(
        EVP_sha256(),
        kSecret.data(),
        static_cast<int>(kSecret.size()),
        reinterpret_cast<const unsigned char*>(base.data()),
        base.size(),
        mac.data(),
        &size
    );
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out = "v0=";
    for (unsigned i = 0; i < size; ++i) {
        out += kHex[mac[i] >> 4U];
        out += kHex[mac[i] & 15U];
    }
    return out;
}

bool digits_only(std::string_view s) {
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return !s.empty();
}

// What verify_signature must answer, decided independently.
SignatureCheck model(
    std::string_view ts, std::string_view sig, std::string_view body, std::int64_t now
) {
    if (ts.empty() || sig.empty()) return SignatureCheck::missing;
    if (!digits_only(ts) || !sig.starts_with("v0=")) return SignatureCheck::malformed;
    std::int64_t t = 0;
    const auto [ptr, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
    if (ec != std::errc{}) return SignatureCheck::stale;  // all digits: only out of range
    std::int64_t delta = 0;
    if (__builtin_sub_overflow(now, t, &delta) || delta > kWindow || delta < -kWindow) {
        return SignatureCheck::stale;
    }
    return sig == reference_sign(ts, body) ? SignatureCheck::ok : SignatureCheck::mismatch;
}

void expect(SignatureCheck got, SignatureCheck want, std::string_view what) {
    if (got != want) {
        nra::fuzz::fail(
            what,
            std::string(nra::slack::to_string(got)) + " instead of " +
                std::string(nra::slack::to_string(want))
        );
    }
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    const std::size_t size = input.size();
    const auto parts = nra::fuzz::split_lines(input, 3);
    const std::string_view ts = parts[0];
    const std::string_view sig = parts[1];
    const std::string_view body = parts[2];
    // "now" near the fuzzed timestamp when it is one, so both sides of the window get tried.
    std::int64_t now = 1'700'000'000;
    std::int64_t parsed = 0;
    if (std::from_chars(ts.data(), ts.data() + ts.size(), parsed).ec == std::errc{} &&
        parsed >= 400 && parsed < (std::int64_t{1} << 60)) {
        now = parsed + static_cast<std::int64_t>(size % 801) - 400;
    }
    expect(
        verify_signature(kSecret, ts, sig, body, now), model(ts, sig, body, now), "fuzzed triple:"
    );

    // The module's signer agrees with OpenSSL, and its own signature verifies.
    const std::string stamp = std::to_string(now);
    const std::string good = reference_sign(stamp, body);
    nra::fuzz::check(nra::slack::sign(kSecret, stamp, body) == good, "sign() differs from HMAC");
    expect(verify_signature(kSecret, stamp, good, body, now), SignatureCheck::ok, "own signature:");
    // Edges of the window: ±300 s still fresh, ±301 s stale.
    for (const std::int64_t skew : {-kWindow, kWindow}) {
        expect(
            verify_signature(kSecret, stamp, good, body, now + skew), SignatureCheck::ok, "edge:"
        );
    }
    for (const std::int64_t skew : {-kWindow - 1, kWindow + 1, std::int64_t{86400}}) {
        expect(
            verify_signature(kSecret, stamp, good, body, now + skew), SignatureCheck::stale, "skew:"
        );
    }
    // Any one byte changed (position and new value from the input) must not verify.
    std::string bad = good;
    const std::size_t pos =
        (size * 31 + (body.empty() ? 0 : static_cast<unsigned char>(body[0]))) % bad.size();
    bad[pos] = static_cast<char>(bad[pos] ^ static_cast<char>(1 + size % 255));
    nra::fuzz::check(
        verify_signature(kSecret, stamp, bad, body, now) != SignatureCheck::ok,
        "changed byte verifies"
    );
    // The same signature over a different body or under another secret must not verify either.
    const std::string other_body = std::string(body) + " ";
    nra::fuzz::check(
        verify_signature(kSecret, stamp, good, other_body, now) == SignatureCheck::mismatch,
        "signature verifies another body"
    );
    nra::fuzz::check(
        verify_signature("another-secret", stamp, good, body, now) == SignatureCheck::mismatch,
        "signature verifies under another secret"
    );
}

}  // namespace nra::fuzz::signature

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::signature::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
