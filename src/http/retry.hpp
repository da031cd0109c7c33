// Retries with exponential backoff and full jitter for 429 (Retry-After honoured), 5xx,
// timeouts and dropped connections, within a total time budget per call.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "http/http_types.hpp"

namespace nra::http {

class Client;

struct RetryPolicy {
    int max_attempts = 4;
    std::chrono::milliseconds base_delay{500};
    std::chrono::milliseconds max_delay{10'000};
    std::chrono::milliseconds budget{90'000};  // total for all attempts and waits of one call
    std::uint64_t seed = 0;                    // 0: random; tests fix it
    // false for requests that must not be done twice (a posted message, a shared file): once
    // the request went out, only a 429 (the server said it did nothing) is sent again.
    bool idempotent = true;
};

// Pure pieces, unit-tested without a network -------------------------------------------------

// True when this outcome is worth another attempt: timeouts, connection failures, 429, 500,
// 502, 503, 504. TLS, proxy, size and URL failures and other statuses are final.
bool is_retryable(const Outcome& outcome);

// is_retryable, narrowed for a non-idempotent request to what surely did not act: a failure
// before the request was written (connect, TLS, a deadline while connecting) or a 429.
bool may_repeat(const Outcome& outcome, bool idempotent);

// Delay before attempt `attempt + 1` (attempt counts from 1): full jitter over
// min(max_delay, base * 2^(attempt-1)), but never less than Retry-After when the server sent it.
std::chrono::milliseconds backoff_delay(
    int attempt,
    const RetryPolicy& policy,
    std::optional<std::chrono::milliseconds> retry_after,
    std::mt19937_64& rng
);

// Retry-After as delta-seconds or an HTTP-date (relative to `now`); nullopt when unparseable.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now
);

// The network part ----------------------------------------------------------------------------

// Sends with retries. Each attempt's deadline is min(request.timeout, budget left). Returns the
// last outcome, with `attempts` set. Waits use an Asio timer (cancelled with the coroutine).
boost::asio::awaitable<Outcome> send_with_retry(
    Client& client, Request request, RetryPolicy policy
);

}  // namespace nra::http
