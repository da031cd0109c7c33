#include "newrelic/nerdgraph_baseline_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "log/log.hpp"
#include "newrelic/baseline_queries.hpp"
#include "newrelic/baseline_results.hpp"
#include "newrelic/nerdgraph_response.hpp"
#include "nra/time_units.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;

namespace {

constexpr int kMaxWindowHours = 24 * 31;
constexpr const char* kTimedOut = "New Relic did not answer the baseline query in time";

// The first `max` distinct keys with both names, in the order given (most important first).
std::vector<BaselineKey> distinct_keys(const std::vector<BaselineKey>& keys, std::size_t max) {
    std::vector<BaselineKey> out;
    std::set<BaselineKey> seen;
    for (const auto& key : keys) {
        if (out.size() >= max) break;
        if (key.service.empty() || key.name.empty() || !seen.insert(key).second) continue;
        out.push_back(key);
    }
    return out;
}

// Another account group's rows: counts add up; percentiles cannot be combined exactly, so the
// group with more samples keeps its own.
void merge(std::map<BaselineKey, BaselineStats>& into, std::vector<BaselineStats> more) {
    for (auto& stats : more) {
        const auto [it, fresh] = into.emplace(stats.key, stats);
        if (fresh) continue;
        auto& have = it->second;
        if (stats.count > have.count || !have.p50_ms) {
            have.p50_ms = stats.p50_ms;
            have.p90_ms = stats.p90_ms;
            have.p99_ms = stats.p99_ms;
        }
        have.count += stats.count;
    }
}

std::string message_for(const NrqlResult& result) {
    return result.status == FetchStatus::timed_out ? std::string(kTimedOut) : result.message;
}

}  // namespace

NerdGraphBaselineSource::NerdGraphBaselineSource(
    http::Client& http, NewRelicConfig config, BaselineSourceOptions options, WallClock clock
)
    : http_(http), config_(std::move(config)), options_(options), clock_(std::move(clock)) {
    config_.budget = options_.budget;
    config_.query_timeout_s = options_.query_timeout_s;
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

std::int64_t NerdGraphBaselineSource::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch())
        .count();
}

const NerdGraphBaselineSource::Entry* NerdGraphBaselineSource::lookup(
    const CacheKey& key, std::int64_t now
) {
    const auto it = cache_.find(key);
    if (it == cache_.end()) return nullptr;
    const auto ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(options_.cache_ttl);
    if (now - it->second.stored_ms < ttl_ms.count() && now >= it->second.stored_ms) {
        return &it->second;
    }
    order_.erase(it->second.order);
    cache_.erase(it);
    return nullptr;
}

void NerdGraphBaselineSource::store(
    CacheKey key, std::optional<BaselineStats> stats, std::int64_t now
) {
    if (options_.cache_entries == 0) return;
    if (const auto it = cache_.find(key); it != cache_.end()) {
        order_.erase(it->second.order);
        cache_.erase(it);
    }
    while (cache_.size() >= options_.cache_entries && !order_.empty()) {
        cache_.erase(order_.begin()->second);
        order_.erase(order_.begin());
    }
    const auto order = next_order_++;
    order_.emplace(order, key);
    cache_.emplace(std::move(key), Entry{std::move(stats), now, order});
}

asio::awaitable<NerdGraphBaselineSource::Asked> NerdGraphBaselineSource::ask_group(
    std::vector<std::int64_t> accounts,
    std::string nrql,
    std::chrono::milliseconds budget,
    const std::vector<BaselineKey>& cases
) {
    auto config = config_;
    config.budget = budget;
    NerdGraphClient client(http_, std::move(config));
    auto pending = client.query(std::move(accounts), std::move(nrql));
    auto result = co_await std::move(pending);
    Asked out;
    if (result.status != FetchStatus::found) {
        out.status = result.status;
        out.message = message_for(result);
        co_return out;
    }
    const auto& rows_json = result.answer.rows_json;
    auto rows =
        read_baseline_results(rows_json.empty() ? std::string_view("[]") : rows_json, cases);
    if (!rows) {
        log::warn("NerdGraph baseline answer unreadable: {}", rows.error());
        out.status = FetchStatus::unavailable;
        out.message = kUnreadableAnswer;
        co_return out;
    }
    out.stats = std::move(rows).value();
    co_return out;
}

asio::awaitable<NerdGraphBaselineSource::Asked> NerdGraphBaselineSource::ask(
    std::string nrql,
    std::vector<BaselineKey> asked,
    std::vector<BaselineKey> cases,
    std::chrono::milliseconds budget
) {
    Asked out;
    const auto& accounts = config_.accounts;
    if (accounts.empty()) {
        out.status = FetchStatus::failed;
        out.message = "no New Relic account is configured";
        co_return out;
    }
    const auto start = std::chrono::steady_clock::now();
    std::map<BaselineKey, BaselineStats> combined;
    for (auto& group : account_groups(accounts, config_.accounts_per_query)) {
        // Every group within what is left of the one budget.
        const auto left = budget - std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - start
                                   );
        auto pending = ask_group(std::move(group), nrql, left, cases);
        auto answer = co_await std::move(pending);
        if (answer.status != FetchStatus::found) co_return answer;
        merge(combined, std::move(answer.stats));
    }
    for (const auto& key : asked) {
        if (const auto it = combined.find(key); it != combined.end()) {
            out.stats.push_back(it->second);
        }
    }
    co_return out;
}

std::vector<BaselineKey> NerdGraphBaselineSource::from_cache(
    const std::vector<BaselineKey>& keys, int hours, std::int64_t now, StatsByKey& known
) {
    std::vector<BaselineKey> missing;
    for (const auto& key : keys) {
        const auto* entry = lookup(CacheKey(key.service, key.name, key.callee, hours), now);
        if (entry == nullptr) {
            missing.push_back(key);
        } else if (entry->stats) {
            known.emplace(key, *entry->stats);
        }
    }
    return missing;
}

void NerdGraphBaselineSource::remember(
    const std::vector<BaselineKey>& asked,
    std::vector<BaselineStats> stats,
    int hours,
    std::int64_t now,
    StatsByKey& known
) {
    StatsByKey fresh;
    for (auto& s : stats) fresh.emplace(s.key, std::move(s));
    for (const auto& key : asked) {
        const auto it = fresh.find(key);
        auto found = it == fresh.end() ? std::nullopt : std::optional(it->second);
        if (found) known.emplace(key, *found);
        store(
            CacheKey(key.service, key.name, key.callee, hours), std::move(found), now
        );  // no row: no data
    }
}

asio::awaitable<NerdGraphBaselineSource::Asked> NerdGraphBaselineSource::ask_missing(
    const std::vector<BaselineKey>& missing,
    const std::string& trace_id,
    int hours,
    std::int64_t now,
    StatsByKey& known,
    std::size_t& asked
) {
    Asked out;
    if (missing.empty()) co_return out;
    const TimeWindow window{now - hours * kHourMs, now};
    const auto start = std::chrono::steady_clock::now();
    // The bare pairs, then the calls by callee (a query of their own: FACET CASES), both within
    // the one budget. The bare pairs are the fallback: a failed callee query only loses detail.
    for (const bool by_callee : {false, true}) {
        const auto left = options_.budget - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::steady_clock::now() - start
                                            );
        if (left <= std::chrono::milliseconds(0)) break;
        auto nrql = by_callee ? callee_baseline_nrql(missing, trace_id, window)
                              : baseline_nrql(missing, trace_id, window);
        if (!nrql) {
            log::info("no {}baseline query: {}", by_callee ? "callee " : "", nrql.error());
            continue;
        }
        asked += nrql->asked.size();
        auto cases = by_callee ? nrql->asked : std::vector<BaselineKey>{};
        auto pending = ask(std::move(nrql->nrql), nrql->asked, std::move(cases), left);
        auto answer = co_await std::move(pending);
        if (answer.status != FetchStatus::found && by_callee) {
            log::warn("callee baselines: {} ({})", to_string(answer.status), answer.message);
            break;
        }
        if (answer.status != FetchStatus::found) co_return answer;
        remember(nrql->asked, std::move(answer.stats), hours, now, known);
    }
    co_return out;
}

asio::awaitable<BaselineResult> NerdGraphBaselineSource::baselines(BaselineQuery query) {
    const int hours = std::clamp(query.window_hours, 1, kMaxWindowHours);
    const auto now = now_ms();
    const auto keys = distinct_keys(query.keys, options_.max_keys);
    StatsByKey known;
    const auto missing = from_cache(keys, hours, now, known);
    std::size_t asked = 0;
    auto asking = ask_missing(missing, query.trace_id, hours, now, known, asked);  // GCC 12
    auto answer = co_await std::move(asking);
    if (answer.status != FetchStatus::found) {
        log::warn("baselines: {} ({})", to_string(answer.status), answer.message);
        BaselineResult failed;
        failed.status = answer.status;
        failed.message = std::move(answer.message);
        failed.window = baseline_window_text(hours);
        co_return failed;
    }
    log::info(
        "baselines: {} pairs, {} from the cache, {} asked, {} with data",
        keys.size(),
        keys.size() - missing.size(),
        asked,
        known.size()
    );
    BaselineResult result;
    result.status = FetchStatus::found;
    result.window = baseline_window_text(hours);
    for (const auto& key : keys) {
        if (const auto it = known.find(key); it != known.end()) result.stats.push_back(it->second);
    }
    co_return result;
}

}  // namespace nra::newrelic
