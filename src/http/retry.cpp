#include "http/retry.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/client.hpp"
#include "http/text.hpp"

namespace nra::http {

namespace {

using std::chrono::milliseconds;

using detail::trim;

// Digits only, at most `max_digits` of them (keeps the arithmetic far from overflow).
std::optional<int> parse_digits(std::string_view s, std::size_t max_digits) {
    if (s.empty() || s.size() > max_digits) return std::nullopt;
    int value = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// IMF-fixdate, the only HTTP-date form senders may generate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view s) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT") {
        return std::nullopt;
    }
    const auto* const month_it = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
    const auto day = parse_digits(s.substr(5, 2), 2);
    const auto year = parse_digits(s.substr(12, 4), 4);
    const auto hour = parse_digits(s.substr(17, 2), 2);
    const auto minute = parse_digits(s.substr(20, 2), 2);
    const auto second = parse_digits(s.substr(23, 2), 2);
    if (month_it == kMonths.end() || !day || !year || !hour || !minute || !second) {
        return std::nullopt;
    }
    const auto month = static_cast<unsigned>(month_it - kMonths.begin() + 1);
    const std::chrono::year_month_day date{
        std::chrono::year{*year},
        std::chrono::month{month},
        std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    return std::chrono::sys_days{date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
           std::chrono::seconds{*second};
}

std::optional<milliseconds> retry_after_of(const Outcome& outcome) {
    const int status = outcome.response.status;
    if (!outcome.ok() || (status != 429 && status != 503)) return std::nullopt;
    const auto value = outcome.response.header("Retry-After");
    if (value.empty()) return std::nullopt;
    return parse_retry_after(value, std::chrono::system_clock::now());
}

}  // namespace

bool is_retryable(const Outcome& outcome) {
    switch (outcome.failure) {
        case Failure::timeout:
        case Failure::connect:
            return true;
        case Failure::none:
            break;
        default:
            return false;
    }
    const int status = outcome.response.status;
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool may_repeat(const Outcome& outcome, bool idempotent) {
    if (!is_retryable(outcome)) return false;
    if (idempotent) return true;
    return outcome.ok() ? outcome.response.status == 429 : !outcome.sent;
}

std::chrono::milliseconds backoff_delay(
    int attempt,
    const RetryPolicy& policy,
    std::optional<std::chrono::milliseconds> retry_after,
    std::mt19937_64& rng
) {
    // min(max_delay, base * 2^(attempt-1)), doubling step by step so it cannot overflow.
    const auto max = std::max(policy.max_delay.count(), milliseconds::rep{0});
    auto cap = std::clamp(policy.base_delay.count(), milliseconds::rep{0}, max);
    for (int i = 1; i < attempt && cap > 0 && cap < max; ++i) cap = std::min(max, cap * 2);
    std::uniform_int_distribution<milliseconds::rep> jitter(0, cap);
    const milliseconds delay{jitter(rng)};
    return retry_after ? std::max(delay, *retry_after) : delay;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now
) {
    value = trim(value);
    if (const auto seconds = parse_digits(value, 9)) return std::chrono::seconds{*seconds};
    const auto date = parse_imf_fixdate(value);
    if (!date) return std::nullopt;
    if (*date <= now) return milliseconds{0};
    return std::chrono::ceil<milliseconds>(*date - now);
}

boost::asio::awaitable<Outcome> send_with_retry(
    Client& client, Request request, RetryPolicy policy
) {
    const auto deadline = std::chrono::steady_clock::now() + policy.budget;
    std::mt19937_64 rng(policy.seed != 0 ? policy.seed : std::random_device{}());
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    const auto per_attempt = request.timeout;
    Outcome outcome;
    for (int attempt = 1;; ++attempt) {
        const auto left =
            std::chrono::floor<milliseconds>(deadline - std::chrono::steady_clock::now());
        request.timeout = std::min(per_attempt, left);
        outcome = co_await client.send(request);
        outcome.attempts = attempt;
        if (!may_repeat(outcome, policy.idempotent) || attempt >= policy.max_attempts) break;
        const auto delay = backoff_delay(attempt, policy, retry_after_of(outcome), rng);
        // Waiting past the budget leaves no time for the attempt it was waiting for.
        if (std::chrono::steady_clock::now() + delay + milliseconds{1} >= deadline) break;
        timer.expires_after(delay);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
    co_return outcome;
}

}  // namespace nra::http
