// The pure retry rules: which outcomes retry, the backoff envelope, Retry-After parsing.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "http/retry.hpp"

namespace http_retry_test {

using nra::http::backoff_delay;
using nra::http::Failure;
using nra::http::is_retryable;
using nra::http::may_repeat;
using nra::http::Outcome;
using nra::http::parse_retry_after;
using nra::http::RetryPolicy;
using std::chrono::milliseconds;

namespace {

Outcome with_status(int status) {
    Outcome outcome;
    outcome.response.status = status;
    return outcome;
}

Outcome with_failure(Failure failure) {
    Outcome outcome;
    outcome.failure = failure;
    return outcome;
}

// 2024-03-05 12:00:00 UTC, a Tuesday.
std::chrono::system_clock::time_point fixed_now() {
    using namespace std::chrono;
    return sys_days{year{2024} / March / 5} + hours{12};
}

}  // namespace

TEST_CASE("timeouts, dropped connections, 429 and 500/502/503/504 retry", "[retry]") {
    CHECK(is_retryable(with_failure(Failure::timeout)));
    CHECK(is_retryable(with_failure(Failure::connect)));
    for (const int status : {429, 500, 502, 503, 504}) {
        INFO("status " << status);
        CHECK(is_retryable(with_status(status)));
    }
}

TEST_CASE("other failures and statuses are final", "[retry]") {
    for (const auto failure :
         {Failure::tls, Failure::proxy, Failure::too_large, Failure::protocol, Failure::bad_url}) {
        INFO(nra::http::to_string(failure));
        CHECK_FALSE(is_retryable(with_failure(failure)));
    }
    for (const int status : {200, 204, 301, 400, 401, 403, 404, 408, 501, 505}) {
        INFO("status " << status);
        CHECK_FALSE(is_retryable(with_status(status)));
    }
}

TEST_CASE("a request that must not be done twice is repeated only if it surely did nothing") {
    auto sent = [](Outcome o) {
        o.sent = true;
        return o;
    };
    // Not written: connect, TLS or a deadline while connecting. Repeat as before.
    CHECK(may_repeat(with_failure(Failure::timeout), false));
    CHECK(may_repeat(with_failure(Failure::connect), false));
    // Written, then the answer was lost or failed: the server may have acted.
    CHECK_FALSE(may_repeat(sent(with_failure(Failure::timeout)), false));
    CHECK_FALSE(may_repeat(sent(with_failure(Failure::connect)), false));
    for (const int status : {500, 502, 503, 504}) {
        INFO("status " << status);
        CHECK_FALSE(may_repeat(sent(with_status(status)), false));
        CHECK(may_repeat(sent(with_status(status)), true));
    }
    // 429: the server says it did nothing.
    CHECK(may_repeat(sent(with_status(429)), false));
    CHECK(may_repeat(sent(with_failure(Failure::timeout)), true));
    CHECK_FALSE(may_repeat(sent(with_status(400)), true));
}

TEST_CASE("backoff stays within the doubling cap and reaches it", "[retry]") {
    RetryPolicy policy;
    policy.base_delay = milliseconds{100};
    policy.max_delay = milliseconds{1000};
    std::mt19937_64 rng(42);
    const std::vector<long> caps = {100, 200, 400, 800, 1000, 1000};
    for (std::size_t i = 0; i < caps.size(); ++i) {
        const int attempt = static_cast<int>(i) + 1;
        long highest = 0;
        for (int sample = 0; sample < 2000; ++sample) {
            const auto delay = backoff_delay(attempt, policy, std::nullopt, rng).count();
            REQUIRE(delay >= 0);
            REQUIRE(delay <= caps[i]);
            highest = std::max<long>(highest, delay);
        }
        INFO("attempt " << attempt);
        CHECK(highest >= caps[i] * 9 / 10);  // full jitter really spans the whole range
    }
}

TEST_CASE("backoff is reproducible with a fixed seed and survives huge attempts", "[retry]") {
    RetryPolicy policy;
    policy.base_delay = milliseconds{250};
    std::mt19937_64 a(7);
    std::mt19937_64 b(7);
    for (int attempt = 1; attempt <= 10; ++attempt) {
        CHECK(
            backoff_delay(attempt, policy, std::nullopt, a) ==
            backoff_delay(attempt, policy, std::nullopt, b)
        );
    }
    const auto far = backoff_delay(1'000'000, policy, std::nullopt, a);
    CHECK(far >= milliseconds{0});
    CHECK(far <= policy.max_delay);
}

TEST_CASE("Retry-After is a floor, even above max_delay", "[retry]") {
    RetryPolicy policy;
    policy.base_delay = milliseconds{10};
    policy.max_delay = milliseconds{50};
    std::mt19937_64 rng(1);
    for (int i = 0; i < 100; ++i) {
        CHECK(backoff_delay(1, policy, milliseconds{5000}, rng) == milliseconds{5000});
        const auto delay = backoff_delay(3, policy, milliseconds{30}, rng);
        CHECK(delay >= milliseconds{30});
        CHECK(delay <= milliseconds{40});
    }
    CHECK(backoff_delay(1, policy, milliseconds{0}, rng) <= milliseconds{10});
}

TEST_CASE("Retry-After as delta-seconds", "[retry]") {
    const auto now = fixed_now();
    CHECK(parse_retry_after("7", now) == milliseconds{7000});
    CHECK(parse_retry_after(" 7 ", now) == milliseconds{7000});
    CHECK(parse_retry_after("0", now) == milliseconds{0});
    CHECK(parse_retry_after("120", now) == milliseconds{120'000});
}

TEST_CASE("Retry-After garbage is rejected", "[retry]") {
    const auto now = fixed_now();
    for (const char* value :
         {"-1", "", "abc", "7s", "1.5", "+3", "99999999999999999999", "Tue, 05 Mar 2024"}) {
        INFO('"' << value << '"');
        CHECK_FALSE(parse_retry_after(value, now).has_value());
    }
    CHECK_FALSE(parse_retry_after("Fri, 31 Feb 2024 12:00:30 GMT", now).has_value());
    CHECK_FALSE(parse_retry_after("Tue, 05 Mar 2024 25:00:30 GMT", now).has_value());
    CHECK_FALSE(parse_retry_after("Tue, 05 Foo 2024 12:00:30 GMT", now).has_value());
    CHECK_FALSE(parse_retry_after("Tue, 05 Mar 2024 12:00:30 UTC", now).has_value());
}

TEST_CASE("Retry-After as an HTTP-date", "[retry]") {
    const auto now = fixed_now();
    CHECK(parse_retry_after("Tue, 05 Mar 2024 12:00:30 GMT", now) == milliseconds{30'000});
    CHECK(parse_retry_after("Wed, 06 Mar 2024 12:00:00 GMT", now) == milliseconds{86'400'000});
    // A date in the past means "now", not "never".
    CHECK(parse_retry_after("Tue, 05 Mar 2024 11:59:00 GMT", now) == milliseconds{0});
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == milliseconds{0});
}

}  // namespace http_retry_test
