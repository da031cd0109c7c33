#include "newrelic/nerdgraph_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "http/client.hpp"
#include "http/retry.hpp"
#include "log/log.hpp"
#include "newrelic/trace_queries.hpp"

namespace nra::newrelic {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kGraphqlAttempts = 4;
constexpr int kMaxNrqlTimeout = 120;  // New Relic clamps nrql(timeout:) to 5..120 s

// host[:port] of a URL for messages; any user:password@ is left out.
std::string host_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find('/'));
    if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
    return std::string(url);
}

NrqlResult outcome(FetchStatus status, std::string message) {
    NrqlResult r;
    r.status = status;
    r.message = std::move(message);
    return r;
}

// What a GraphQL error means for the caller; `retry` says whether asking again can help.
NrqlResult describe_graphql_error(
    const NrqlAnswer& answer, const std::vector<std::int64_t>& acc, bool& retry
) {
    retry = false;
    switch (answer.error) {
        case GraphqlError::timeout:
            retry = true;
            return outcome(
                FetchStatus::timed_out, "New Relic's query kept timing out; try again in a minute"
            );
        case GraphqlError::rate_limited:
            retry = true;
            return outcome(
                FetchStatus::rate_limited,
                "New Relic is rate-limiting our queries; try again in a minute"
            );
        case GraphqlError::server:
            retry = true;
            return outcome(
                FetchStatus::unavailable, "New Relic had an internal error; try again shortly"
            );
        case GraphqlError::bad_key:
            return outcome(
                FetchStatus::rejected_key,
                "New Relic rejected the API key (NEW_RELIC_API_KEY must be a User key, "
                "NRAK-…)"
            );
        case GraphqlError::access:
            return outcome(
                FetchStatus::rejected_key,
                fmt::format("the API key cannot query account {}", fmt::join(acc, ", "))
            );
        case GraphqlError::syntax:
            return outcome(
                FetchStatus::failed,
                "New Relic refused our query; this is a bug in nr-analyzer (logged)"
            );
        case GraphqlError::none:
        case GraphqlError::other:
            break;
    }
    return outcome(FetchStatus::failed, "New Relic answered with an error (logged)");
}

}  // namespace

NrqlResult describe_http_failure(const http::Outcome& out, std::string_view host) {
    using http::OutcomeClass;
    const int status = out.response.status;
    switch (http::classify(out)) {
        case OutcomeClass::timed_out:
        case OutcomeClass::too_large:
        case OutcomeClass::unreachable: {
            const auto how = out.failure == http::Failure::timeout     ? FetchStatus::timed_out
                             : out.failure == http::Failure::too_large ? FetchStatus::failed
                                                                       : FetchStatus::unavailable;
            return outcome(how, http::failure_sentence(out.failure, "New Relic", host));
        }
        case OutcomeClass::rejected:
            return outcome(
                FetchStatus::rejected_key,
                "New Relic rejected the API key (NEW_RELIC_API_KEY must be a User key, NRAK-…)"
            );
        case OutcomeClass::rate_limited:
            return outcome(
                FetchStatus::rate_limited,
                "New Relic is rate-limiting our queries (HTTP 429); try again in a minute"
            );
        case OutcomeClass::upstream_error:
            return outcome(
                FetchStatus::unavailable,
                fmt::format("New Relic is having trouble (HTTP {}); try again shortly", status)
            );
        case OutcomeClass::ok:
        case OutcomeClass::not_found:
        case OutcomeClass::refused:
            break;
    }
    return outcome(
        FetchStatus::failed, fmt::format("New Relic refused the request (HTTP {})", status)
    );
}

NerdGraphClient::NerdGraphClient(http::Client& http, NewRelicConfig config)
    : http_(http), config_(std::move(config)), host_(host_of(config_.graphql_url)) {}

http::Request NerdGraphClient::make_request(
    const std::vector<std::int64_t>& accounts,
    const std::string& nrql,
    int timeout_s,
    milliseconds left
) const {
    http::Request req;
    req.upstream = "newrelic";
    req.method = "POST";
    req.url = config_.graphql_url;
    req.headers.push_back({"API-Key", config_.api_key});
    req.headers.push_back({"Content-Type", "application/json"});
    req.body = nrql_request_body(accounts, nrql, timeout_s);
    // New Relic answers within the nrql timeout; the extra 15 s covers transfer of big pages.
    req.timeout = std::min(left, milliseconds(std::chrono::seconds(timeout_s + 15)));
    return req;
}

asio::awaitable<NrqlResult> NerdGraphClient::query(
    std::vector<std::int64_t> accounts, std::string nrql
) {
    const auto start = Clock::now();
    int timeout_s = config_.query_timeout_s;
    std::mt19937_64 rng(std::random_device{}());
    NrqlResult last = outcome(FetchStatus::timed_out, "New Relic did not answer in time");
    int sent = 0;
    for (int attempt = 1;; ++attempt) {
        const auto left =
            config_.budget - std::chrono::duration_cast<milliseconds>(Clock::now() - start);
        if (left <= milliseconds(0)) break;
        http::RetryPolicy policy;
        policy.budget = left;
        policy.base_delay = config_.retry_base_delay;
        auto request = make_request(accounts, nrql, timeout_s, left);
        auto out = co_await http::send_with_retry(http_, std::move(request), policy);
        sent += out.attempts;
        if (!out.ok() || out.response.status != 200) {
            last = describe_http_failure(out, host_);
            log::warn(
                "NerdGraph query failed after {} attempt(s): {} {} {}",
                out.attempts,
                http::to_string(out.failure),
                out.response.status,
                out.detail
            );
            break;
        }
        bool retry = true;
        auto answer = parse_nrql_answer(out.response.body);
        if (!answer) {
            last = outcome(FetchStatus::unavailable, "New Relic sent an unreadable answer");
            log::warn("NerdGraph answer unreadable: {}", answer.error());
        } else if (answer->error == GraphqlError::none) {
            last.status = FetchStatus::found;
            last.message.clear();
            last.answer = std::move(answer).value();
            break;
        } else {
            last = describe_graphql_error(*answer, accounts, retry);
            log::warn("NerdGraph error {}: {}", to_string(answer->error), answer->error_message);
            if (answer->error == GraphqlError::timeout) {
                timeout_s = std::min(kMaxNrqlTimeout, timeout_s * 2);
            }
        }
        if (!retry || attempt >= kGraphqlAttempts) break;
        http::RetryPolicy backoff;
        backoff.base_delay = config_.retry_base_delay;
        const auto delay = http::backoff_delay(attempt, backoff, std::nullopt, rng);
        if (Clock::now() - start + delay >= config_.budget) break;
        asio::steady_timer timer(co_await asio::this_coro::executor, delay);
        co_await timer.async_wait(asio::use_awaitable);
    }
    last.attempts = sent;
    co_return last;
}

}  // namespace nra::newrelic
