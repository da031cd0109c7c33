// BaselineSource over NerdGraph NRQL: the usual durations of a trace's (service, span name) pairs
// in one FACET query per account group of 5 (baseline_queries.hpp), with a short-lived cache of
// answers, positive and negative, so traces of the same services do not ask again. A baseline
// is an extra: it gets its own short budget and nrql timeout so it never holds a summary long.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "newrelic/nerdgraph_client.hpp"
#include "newrelic/newrelic_config.hpp"
#include "nra/ports/baseline_source.hpp"

namespace nra::http {
class Client;
}

namespace nra::newrelic {

struct BaselineSourceOptions {
    std::chrono::seconds cache_ttl{600};     // baselines change slowly
    std::size_t cache_entries = 20000;       // (service, name, window) answers kept; oldest go
    std::size_t max_keys = 60;               // pairs asked per trace, most important first
    std::chrono::milliseconds budget{8000};  // the whole baseline call, every group and retry
    int query_timeout_s = 5;                 // NerdGraph nrql(timeout:) (New Relic's minimum)
};

class NerdGraphBaselineSource final : public BaselineSource {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    NerdGraphBaselineSource(
        http::Client& http,
        NewRelicConfig config,
        BaselineSourceOptions options = {},
        WallClock clock = {}
    );

    boost::asio::awaitable<BaselineResult> baselines(BaselineQuery query) override;

    std::size_t cached() const { return cache_.size(); }  // entries, for tests

private:
    using CacheKey = std::tuple<std::string, std::string, std::string, int>;  // key, window hours
    using StatsByKey = std::map<BaselineKey, BaselineStats>;
    struct Entry {
        std::optional<BaselineStats> stats;  // nullopt: asked, New Relic had no spans
        std::int64_t stored_ms = 0;
        std::uint64_t order = 0;  // position in order_
    };
    struct Asked {
        FetchStatus status = FetchStatus::found;
        std::string message;
        std::vector<BaselineStats> stats;  // every group combined, asked pairs only
    };

    // One query per account group, each within what is left of the budget; stops at a failure.
    // `cases`: the keys of a FACET CASES query's labels c0, c1… (callee_baseline_nrql).
    boost::asio::awaitable<Asked> ask(
        std::string nrql,
        std::vector<BaselineKey> asked,
        std::vector<BaselineKey> cases,
        std::chrono::milliseconds budget
    );
    // One group's rows (every row, not only the asked pairs), or its failure.
    boost::asio::awaitable<Asked> ask_group(
        std::vector<std::int64_t> accounts,
        std::string nrql,
        std::chrono::milliseconds budget,
        const std::vector<BaselineKey>& cases
    );
    // The keys of `missing` asked (bare pairs, then callee keys), into `known`; the failure of
    // the first query that fails, if any.
    boost::asio::awaitable<Asked> ask_missing(
        const std::vector<BaselineKey>& missing,
        const std::string& trace_id,
        int hours,
        std::int64_t now,
        StatsByKey& known,
        std::size_t& asked
    );
    // Keys the cache answers go into `known` (those with data); the others are returned.
    std::vector<BaselineKey> from_cache(
        const std::vector<BaselineKey>& keys, int hours, std::int64_t now, StatsByKey& known
    );
    // Caches every asked key: its stats, or "no data" when New Relic sent no row for it.
    void remember(
        const std::vector<BaselineKey>& asked,
        std::vector<BaselineStats> stats,
        int hours,
        std::int64_t now,
        StatsByKey& known
    );
    const Entry* lookup(const CacheKey& key, std::int64_t now_ms);
    void store(CacheKey key, std::optional<BaselineStats> stats, std::int64_t now_ms);
    std::int64_t now_ms() const;

    http::Client& http_;
    NewRelicConfig config_;  // budget and nrql timeout replaced by the options'
    BaselineSourceOptions options_;
    WallClock clock_;
    std::map<CacheKey, Entry> cache_;
    std::map<std::uint64_t, CacheKey> order_;  // oldest store first
    std::uint64_t next_order_ = 0;
};

}  // namespace nra::newrelic
