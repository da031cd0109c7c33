#include "newrelic/newrelic_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "http/text.hpp"
#include "nra/span.hpp"

namespace nra::newrelic {
namespace {

using http::detail::trim;

std::optional<std::int64_t> parse_int(std::string_view text) {
    text = trim(text);
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || text.empty()) return std::nullopt;
    return value;
}

// An integer setting within [lo, hi]; `fallback` when unset.
Result<std::int64_t> int_setting(
    const EnvLookup& env,
    std::string_view name,
    std::int64_t fallback,
    std::int64_t lo,
    std::int64_t hi
) {
    auto raw = env(name);
    if (!raw || trim(*raw).empty()) return fallback;
    auto value = parse_int(*raw);
    if (!value || *value < lo || *value > hi) {
        return make_error(fmt::format("{} must be a whole number from {} to {}", name, lo, hi));
    }
    return *value;
}

Result<std::vector<std::int64_t>> parse_accounts(std::string_view list) {
    std::vector<std::int64_t> accounts;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (item.empty()) continue;
        auto id = parse_int(item);
        if (!id || *id <= 0) {
            return make_error("NEW_RELIC_ACCOUNT_ID must be account numbers separated by commas");
        }
        bool seen = false;
        for (auto a : accounts) seen = seen || a == *id;
        if (!seen) accounts.push_back(*id);
    }
    if (accounts.empty()) {
        return make_error("NEW_RELIC_ACCOUNT_ID is required with NEW_RELIC_API_KEY");
    }
    return accounts;
}

Result<std::string> graphql_url(const EnvLookup& env) {
    if (auto url = env("NEW_RELIC_GRAPHQL_URL"); url && !trim(*url).empty()) {
        const auto u = std::string(trim(*url));
        if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0) {
            return make_error("NEW_RELIC_GRAPHQL_URL must start with https:// or http://");
        }
        return u;
    }
    const auto region = env("NEW_RELIC_REGION").value_or("US");
    auto url = graphql_url_for_region(trim(region));
    if (url.empty()) return make_error("NEW_RELIC_REGION must be US or EU");
    return url;
}

}  // namespace

std::vector<std::vector<std::int64_t>> account_groups(
    const std::vector<std::int64_t>& accounts, std::size_t per_query
) {
    per_query = std::max<std::size_t>(per_query, 1);
    std::vector<std::vector<std::int64_t>> groups;
    for (std::size_t i = 0; i < accounts.size(); i += per_query) {
        const auto first = accounts.begin() + static_cast<std::ptrdiff_t>(i);
        const auto n = std::min(per_query, accounts.size() - i);
        groups.emplace_back(first, first + static_cast<std::ptrdiff_t>(n));
    }
    return groups;
}

std::string graphql_url_for_region(std::string_view region) {
    const auto r = ascii_lower(region);
    if (r.empty() || r == "us") return "https://api.newrelic.com/graphql";
    if (r == "eu") return "https://api.eu.newrelic.com/graphql";
    return {};
}

Result<std::optional<NewRelicConfig>> config_from_env(const EnvLookup& env) {
    auto key = env("NEW_RELIC_API_KEY");
    if (!key || trim(*key).empty()) return std::optional<NewRelicConfig>{};
    NewRelicConfig cfg;
    cfg.api_key = std::string(trim(*key));
    auto accounts = parse_accounts(env("NEW_RELIC_ACCOUNT_ID").value_or(""));
    if (!accounts) return make_error(accounts.error());
    cfg.accounts = std::move(accounts).value();
    auto url = graphql_url(env);
    if (!url) return make_error(url.error());
    cfg.graphql_url = std::move(url).value();

    auto lookback = int_setting(env, "NEW_RELIC_TRACE_LOOKBACK_HOURS", 24, 1, std::int64_t{24} * 8);
    auto timeout = int_setting(env, "NEW_RELIC_QUERY_TIMEOUT_SECONDS", 30, 5, 120);
    auto concurrency = int_setting(env, "NEW_RELIC_MAX_CONCURRENCY", 5, 1, 25);
    auto delay = int_setting(env, "NEW_RELIC_REQUERY_DELAY_SECONDS", 20, 0, 300);
    auto requeries = int_setting(env, "NEW_RELIC_REQUERIES", 3, 0, 10);
    auto budget = int_setting(env, "NEW_RELIC_QUERY_BUDGET_SECONDS", 60, 1, 600);
    auto per_query = int_setting(
        env, "NEW_RELIC_ACCOUNTS_PER_QUERY", static_cast<std::int64_t>(kAccountsPerQuery), 1, 30
    );
    for (const auto* r :
         {&lookback, &timeout, &concurrency, &delay, &requeries, &budget, &per_query}) {
        if (!*r) return make_error(r->error());
    }
    cfg.lookback = std::chrono::hours(*lookback);
    cfg.query_timeout_s = static_cast<int>(*timeout);
    cfg.max_concurrency = static_cast<std::size_t>(*concurrency);
    cfg.requery_delay = std::chrono::seconds(*delay);
    cfg.requeries = static_cast<int>(*requeries);
    cfg.budget = std::chrono::seconds(*budget);
    cfg.accounts_per_query = static_cast<std::size_t>(*per_query);
    return std::optional<NewRelicConfig>(std::move(cfg));
}

}  // namespace nra::newrelic
