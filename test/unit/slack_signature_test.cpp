// Slack v0 request signing against the official vector and the extra vectors of
// /work/shared/reference/slack.md §1, plus replay windows and hostile headers.
#include <catch2/catch.hpp>
#include <cctype>
#include <climits>
#include <cstdint>
#include <string>

#include "slack/signature.hpp"

namespace slack_signature_test {

using namespace nra::slack;

namespace {

constexpr std::string_view kSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view kTimestamp = "1531420618";
constexpr std::int64_t kNow = 1531420618;
constexpr std::string_view kFormBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id="
    "G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-"
    "collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%"
    "2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr std::string_view kFormSignature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
constexpr std::string_view kJsonBody =
    R"({"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";

SignatureCheck verify(
    std::string_view ts, std::string_view sig, std::string_view body, std::int64_t now = kNow
) {
    return verify_signature(kSecret, ts, sig, body, now);
}

}  // namespace

TEST_CASE("official vector: body of 362 bytes signs and verifies") {
    REQUIRE(kFormBody.size() == 362);
    CHECK(sign(kSecret, kTimestamp, kFormBody) == kFormSignature);
    CHECK(verify(kTimestamp, kFormSignature, kFormBody) == SignatureCheck::ok);
}

TEST_CASE("extra vectors: JSON body, empty body, next timestamp") {
    REQUIRE(kJsonBody.size() == 129);
    const std::string json_sig =
        "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652";
    const std::string empty_sig =
        "v0=55f41ec73231010289b54e669149ea021fccab11b5524355523533ce930cb739";
    const std::string next_sig =
        "v0=ffbf8ca586db401fa71716579fba59aea718787d68572406a7236da28a871144";
    CHECK(sign(kSecret, kTimestamp, kJsonBody) == json_sig);
    CHECK(verify(kTimestamp, json_sig, kJsonBody) == SignatureCheck::ok);
    CHECK(sign(kSecret, kTimestamp, "") == empty_sig);
    CHECK(verify(kTimestamp, empty_sig, "") == SignatureCheck::ok);
    CHECK(sign(kSecret, "1531420619", kFormBody) == next_sig);
    CHECK(verify("1531420619", next_sig, kFormBody) == SignatureCheck::ok);
    // A signature is bound to its timestamp.
    CHECK(verify("1531420619", kFormSignature, kFormBody) == SignatureCheck::mismatch);
}

TEST_CASE("modified body, other secret or upper-case hex is a mismatch") {
    std::string body(kFormBody);
    body.back() = 'd';
    CHECK(verify(kTimestamp, kFormSignature, body) == SignatureCheck::mismatch);
    CHECK(
        verify(kTimestamp, kFormSignature, std::string(kFormBody) + "\n") ==
        SignatureCheck::mismatch
    );
    CHECK(
        verify_signature("other-secret", kTimestamp, kFormSignature, kFormBody, kNow) ==
        SignatureCheck::mismatch
    );
    std::string upper(kFormSignature);
    for (std::size_t i = 3; i < upper.size(); ++i) {
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    }
    CHECK(verify(kTimestamp, upper, kFormBody) == SignatureCheck::mismatch);
}

TEST_CASE("replay window is 300 s in both directions") {
    const std::string ts = std::to_string(kNow);
    const std::string sig = sign(kSecret, ts, kFormBody);
    CHECK(verify(ts, sig, kFormBody, kNow + 300) == SignatureCheck::ok);
    CHECK(verify(ts, sig, kFormBody, kNow - 300) == SignatureCheck::ok);
    CHECK(verify(ts, sig, kFormBody, kNow + 301) == SignatureCheck::stale);  // 301 s in the past
    CHECK(verify(ts, sig, kFormBody, kNow - 301) == SignatureCheck::stale);  // 301 s in the future
    // Staleness is decided before the MAC: a stale request with a wrong signature is stale.
    CHECK(verify(ts, "v0=00", kFormBody, kNow + 301) == SignatureCheck::stale);
}

TEST_CASE("extreme timestamps and clocks do not overflow") {
    const std::string zero_sig = sign(kSecret, "0", "");
    CHECK(verify("0", zero_sig, "", 0) == SignatureCheck::ok);
    CHECK(verify("0", zero_sig, "", INT64_MAX) == SignatureCheck::stale);
    CHECK(verify("0", zero_sig, "", INT64_MIN) == SignatureCheck::stale);
    CHECK(verify("9223372036854775807", kFormSignature, kFormBody) == SignatureCheck::stale);
    CHECK(verify("99999999999999999999999999", kFormSignature, kFormBody) == SignatureCheck::stale);
    CHECK(verify("0001531420618", kFormSignature, kFormBody) == SignatureCheck::mismatch);
}

TEST_CASE("missing headers") {
    CHECK(verify("", kFormSignature, kFormBody) == SignatureCheck::missing);
    CHECK(verify(kTimestamp, "", kFormBody) == SignatureCheck::missing);
    CHECK(verify("", "", "") == SignatureCheck::missing);
}

TEST_CASE("non-digit timestamps are malformed") {
    for (const char* ts :
         {"-1531420618",
          "+1531420618",
          " 1531420618",
          "1531420618 ",
          "1531420618.5",
          "0x5b47",
          "abc",
          "1e9"}) {
        INFO(ts);
        CHECK(verify(ts, kFormSignature, kFormBody) == SignatureCheck::malformed);
    }
}

TEST_CASE("signatures of another version or length never crash") {
    CHECK(
        verify(
            kTimestamp,
            "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            kFormBody
        ) == SignatureCheck::malformed
    );
    CHECK(
        verify(
            kTimestamp,
            "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            kFormBody
        ) == SignatureCheck::malformed
    );
    CHECK(verify(kTimestamp, "v0", kFormBody) == SignatureCheck::malformed);
    CHECK(verify(kTimestamp, "v0=", kFormBody) == SignatureCheck::mismatch);
    CHECK(verify(kTimestamp, kFormSignature.substr(0, 66), kFormBody) == SignatureCheck::mismatch);
    CHECK(
        verify(kTimestamp, std::string(kFormSignature) + "0", kFormBody) == SignatureCheck::mismatch
    );
    CHECK(
        verify(kTimestamp, "v0=" + std::string(10'000, 'a'), kFormBody) == SignatureCheck::mismatch
    );
}

TEST_CASE("to_string names every outcome") {
    CHECK(to_string(SignatureCheck::ok) == "ok");
    CHECK(to_string(SignatureCheck::missing) == "missing");
    CHECK(to_string(SignatureCheck::malformed) == "malformed");
    CHECK(to_string(SignatureCheck::stale) == "stale");
    CHECK(to_string(SignatureCheck::mismatch) == "mismatch");
}

}  // namespace slack_signature_test
