// The log line formats (text and JSON), their escaping, and the scrubbing of secrets.
#include "log/log_format.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "support/log_capture.hpp"

namespace log_format_test {

using nra::log::Format;
using nra::log::format_line;
using nra::log::Level;
using nra::log::LineFields;
using nra::log::scrub_secrets;

namespace {

// 2026-11-23T06:50:00.123Z
std::chrono::system_clock::time_point sample_time() {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(1'795'416'600'123));
}

LineFields fields(Level level, std::string_view id, std::string_view message) {
    LineFields f;
    f.level = level;
    f.request_id = id;
    f.message = message;
    f.time = sample_time();
    return f;
}

}  // namespace

TEST_CASE("text lines show the level, then the request id when there is one") {
    CHECK(
        format_line(Format::text, fields(Level::warn, "ab12", "slow")) == "[warn] [req=ab12] slow"
    );
    CHECK(format_line(Format::text, fields(Level::info, "", "started")) == "[info] started");
}

TEST_CASE("text lines escape control characters: a value cannot start a forged line") {
    const std::string forged = "/x\n[error] [req=00] admin logged in\r\x1b[2K";
    const auto line =
        format_line(Format::text, fields(Level::info, "", "unknown command " + forged));
    CHECK(line == R"([info] unknown command /x\n[error] [req=00] admin logged in\r\u001b[2K)");
    CHECK(
        format_line(Format::text, fields(Level::warn, "a\nb", "t\tx\\y")) ==
        R"([warn] [req=a\nb] t\tx\\y)"
    );
    // NEL, the line and paragraph separators, a bidi override, DEL and ill-formed bytes.
    CHECK(
        format_line(
            Format::text,
            fields(
                Level::info,
                "",
                "a\xc2\x85"
                "b\xe2\x80\xa8"
                "c\xe2\x80\xae"
                "d\x7f"
                "e\xff\xc3"
            )
        ) == R"([info] a\u0085b\u2028c\u202ed\u007fe\xff\xc3)"
    );
    CHECK(
        format_line(Format::text, fields(Level::info, "", "caf\xc3\xa9 \xf0\x9f\x98\x80")) ==
        "[info] caf\xc3\xa9 \xf0\x9f\x98\x80"
    );
}

TEST_CASE("JSON lines escape line separators, C1 controls and bidi controls too") {
    const std::string nasty =
        "a\xc2\x85"
        "b\xe2\x80\xa8"
        "c\xe2\x80\xa9"
        "d\xe2\x80\xae"
        "e\xe2\x81\xa6";
    const auto line = format_line(Format::json, fields(Level::info, "", nasty));
    CHECK(line.find(R"("msg":"a\u0085b\u2028c\u2029d\u202ee\u2066")") != std::string::npos);
    CHECK(nlohmann::json::parse(line)["msg"] == nasty);
}

TEST_CASE("JSON lines carry time, level, request id and message") {
    const auto line = format_line(Format::json, fields(Level::warn, "ab12", "slow"));
    CHECK(
        line ==
        R"({"time":"2026-11-23T06:50:00.123Z","level":"warn","request_id":"ab12","msg":"slow"})"
    );
    const auto without = format_line(Format::json, fields(Level::error, "", "boom"));
    CHECK(without == R"({"time":"2026-11-23T06:50:00.123Z","level":"error","msg":"boom"})");
}

TEST_CASE("timestamps are UTC with milliseconds, also before 1970") {
    using std::chrono::milliseconds;
    using TimePoint = std::chrono::system_clock::time_point;
    CHECK(nra::log::format_utc(TimePoint(milliseconds(0))) == "1970-01-01T00:00:00.000Z");
    CHECK(nra::log::format_utc(TimePoint(milliseconds(-1))) == "1969-12-31T23:59:59.999Z");
    CHECK(
        nra::log::format_utc(TimePoint(milliseconds(951'782'400'007))) == "2000-02-29T00:00:00.007Z"
    );
}

TEST_CASE("JSON escaping keeps one line and valid JSON whatever the message holds") {
    const std::string nasty = std::string("quote \" back \\ nl \n cr \r tab \t nul ") +
                              std::string(1, '\0') + " bell \x07 del \x7f end";
    const auto line = format_line(Format::json, fields(Level::info, "id\"\n", nasty));
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find('\r') == std::string::npos);
    const auto parsed = nlohmann::json::parse(line);
    CHECK(parsed["msg"] == nasty);
    CHECK(parsed["request_id"] == "id\"\n");
    CHECK(line.find(R"(nul \u0000 bell \u0007 del \u007f)") != std::string::npos);
}

TEST_CASE("JSON escaping keeps valid UTF-8 and replaces invalid bytes") {
    CHECK(
        nra::log::json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""
    );
    // A stray continuation byte, a truncated sequence, an overlong '/', a surrogate, > U+10FFFF.
    CHECK(nra::log::json_string("a\x80z") == R"("a\ufffdz")");
    CHECK(nra::log::json_string("a\xe2\x82") == R"("a\ufffd\ufffd")");
    CHECK(nra::log::json_string("\xc0\xaf") == R"("\ufffd\ufffd")");
    CHECK(nra::log::json_string("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");
    CHECK(nra::log::json_string("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");
    const auto parsed = nlohmann::json::parse(
        format_line(Format::json, fields(Level::info, "", "bad \xff\xfe bytes"))
    );
    CHECK(parsed["msg"] == "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
}

TEST_CASE("Slack tokens and New Relic keys are redacted") {
    CHECK(scrub_secrets("token xoxb-1234-5678-abcDEF ok") == "token [redacted] ok");
    for (const char* prefix : {"xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-"}) {
        INFO(prefix);
        CHECK(scrub_secrets(std::string("t=") + prefix + "1-A2B3_c4") == "t=[redacted]");
    }
    CHECK(scrub_secrets("rotated xoxe.xoxp-1-abc") == "rotated [redacted]");
    CHECK(scrub_secrets("key NRAK-ABCDEF0123456789ABCDEF01234.") == "key [redacted].");
    CHECK(scrub_secrets("NRII-abc_DEF-123") == "[redacted]");
    CHECK(scrub_secrets("\"xoxb-1\",\"NRAK-2\"") == "\"[redacted]\",\"[redacted]\"");
}

TEST_CASE("Bearer and Basic credentials are redacted, the scheme stays") {
    CHECK(
        scrub_secrets("Authorization: Bearer eyJhbGciOi.J9.x-y_z~+/=") ==
        "Authorization: Bearer [redacted]"
    );
    CHECK(
        scrub_secrets("authorization: basic dXNlcjpwYXNz, next") ==
        "authorization: basic [redacted], next"
    );
    CHECK(scrub_secrets("BEARER  abc") == "BEARER [redacted]");
}

TEST_CASE("URL passwords are redacted, and a redis URL's lone userinfo") {
    CHECK(
        scrub_secrets("redis://user:s3cret@redis:6379/0") == "redis://user:[redacted]@redis:6379/0"
    );
    CHECK(scrub_secrets("rediss://:s3cret@host") == "rediss://:[redacted]@host");
    CHECK(
        scrub_secrets("at redis://s3cret@host:6379 down") == "at redis://[redacted]@host:6379 down"
    );
    CHECK(
        scrub_secrets("proxy http://bob:pw@proxy:3128") == "proxy http://bob:[redacted]@proxy:3128"
    );
}

TEST_CASE("ordinary text is left alone") {
    for (const std::string text :
         {"NerdGraph query failed after 3 attempt(s): timeout 0 ",
          "redis://redis:6379/0 is unreachable",
          "Redis at redis://***@127.0.0.1:6379/0 is unreachable",  // masked already
          "redis://user:***@cache:6379",
          "https://user@example.com/path",
          "see https://api.newrelic.com/graphql?x=a@b",
          "expected a token starting with xoxb-",
          "a Bearer",
          "job done in 12 ms"}) {
        CHECK(scrub_secrets(text) == text);
    }
}

TEST_CASE("format names parse in any case, nothing else does") {
    Format out = Format::text;
    CHECK(nra::log::parse_format("JSON", out));
    CHECK(out == Format::json);
    CHECK(nra::log::parse_format("text", out));
    CHECK(out == Format::text);
    CHECK_FALSE(nra::log::parse_format("jsonl", out));
    CHECK_FALSE(nra::log::parse_format("", out));
}

TEST_CASE("the writer scrubs before the sink sees a line") {
    nra::test::LogCapture capture(Level::info);
    nra::log::warn("refused token {}", "xoxb-9-9-secret");
    nra::log::info("url {}", "redis://:hunter2@cache:6379");
    CHECK(capture.text() == "refused token [redacted]\nurl redis://:[redacted]@cache:6379\n");
}

}  // namespace log_format_test
