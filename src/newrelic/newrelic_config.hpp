// New Relic settings from the environment (PRODUCT.md names). Pure: the caller supplies the
// lookup, which also resolves NAME_FILE secrets. No key → nullopt → the demo dataset.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/result.hpp"

namespace nra::newrelic {

// Cross-account nrql(accounts:) takes at most 5 accounts ("Max of 5 can be supplied", NerdGraph
// schema; older docs said 30).
inline constexpr std::size_t kAccountsPerQuery = 5;
inline constexpr std::size_t kRowLimit = 5000;  // LIMIT MAX

struct NewRelicConfig {
    std::string api_key;  // secret: never logged, never in messages
    std::vector<std::int64_t> accounts;
    std::size_t accounts_per_query = kAccountsPerQuery;  // NEW_RELIC_ACCOUNTS_PER_QUERY
    std::string graphql_url = "https://api.newrelic.com/graphql";
    std::chrono::hours lookback{24};  // SINCE window for trace lookups
    int query_timeout_s = 30;         // NerdGraph nrql(timeout:), clamped 5..120 by New Relic
    std::size_t max_concurrency = 5;  // pages in flight (New Relic allows 25 per user)
    std::size_t row_limit = kRowLimit;
    std::chrono::milliseconds requery_delay{20'000};  // wait before asking again for late spans
    int requeries = 3;                                // at most this many extra asks (~60 s)
    std::chrono::seconds late_window{180};  // only a trace that ended this recently can still grow
    // Total time for one NRQL call with its retries: one query timeout and a retry.
    std::chrono::milliseconds budget{60'000};
    std::chrono::milliseconds retry_base_delay{500};  // first backoff step (tests shorten it)
};

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads NEW_RELIC_API_KEY, NEW_RELIC_ACCOUNT_ID (comma list), NEW_RELIC_REGION (US|EU),
// NEW_RELIC_GRAPHQL_URL, NEW_RELIC_TRACE_LOOKBACK_HOURS, NEW_RELIC_QUERY_TIMEOUT_SECONDS,
// NEW_RELIC_MAX_CONCURRENCY, NEW_RELIC_REQUERY_DELAY_SECONDS, NEW_RELIC_REQUERIES,
// NEW_RELIC_QUERY_BUDGET_SECONDS, NEW_RELIC_ACCOUNTS_PER_QUERY. Errors name
// the variable and never echo the key.
Result<std::optional<NewRelicConfig>> config_from_env(const EnvLookup& env);

// The accounts in order, in groups of at most `per_query` (at least 1): one nrql() call each.
std::vector<std::vector<std::int64_t>> account_groups(
    const std::vector<std::int64_t>& accounts, std::size_t per_query
);

// The NerdGraph URL for a region name (case-insensitive); empty when unknown.
std::string graphql_url_for_region(std::string_view region);

}  // namespace nra::newrelic
