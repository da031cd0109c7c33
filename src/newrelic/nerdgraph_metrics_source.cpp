#include "newrelic/nerdgraph_metrics_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "log/log.hpp"
#include "newrelic/metrics_response.hpp"
#include "newrelic/nerdgraph_metrics_detail.hpp"
#include "newrelic/nerdgraph_response.hpp"
#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;

using detail::clamp_days;
using detail::failure;
using detail::last_text;

namespace {

constexpr std::size_t kSuggestions = 3;
constexpr std::size_t kSpareTraces = 5;
// Named arrays, not braced lists, in loops that co_await (GCC 12 coroutine temporaries).
constexpr std::array<ServiceKind, 2> kKinds{ServiceKind::apm, ServiceKind::otel};  // APM first

const char* trace_attribute(ServiceKind kind) {
    return kind == ServiceKind::apm ? "traceId" : "trace.id";
}

// Every group's endpoint rows combined; `truncated` when a group filled its LIMIT.
Result<std::vector<EndpointStats>> combine_endpoints(
    const GroupAnswers& groups, ServiceKind kind, std::size_t limit, bool& truncated
) {
    std::vector<EndpointStats> all;
    for (const auto& answer : groups.answers) {
        auto rows = parse_endpoint_stats(answer.rows_json, kind);
        if (!rows) return make_error(rows.error());
        if (rows->rows >= limit) truncated = true;
        merge_endpoint_stats(all, rows->endpoints);
    }
    return all;
}

// SLO counts summed over groups; faceted answers keep only the endpoints the glob matches.
Result<SloCounts> combine_slo(const GroupAnswers& groups, const SloSpec& slo) {
    const bool faceted = endpoint_filter(slo.endpoint) == EndpointFilter::faceted;
    SloCounts sum;
    for (const auto& answer : groups.answers) {
        auto rows = parse_slo_counts(answer.rows_json);
        if (!rows) return make_error(rows.error());
        if (faceted && rows->size() >= kNrqlLimitMax) {
            log::warn("SLO {}: {} endpoints, counts may miss some", slo.name, rows->size());
        }
        for (const auto& row : *rows) {
            if (faceted && !glob_match(slo.endpoint, row.name)) continue;
            sum.total += row.counts.total;
            sum.bad += row.counts.bad;
            sum.recent_total += row.counts.recent_total;
            sum.recent_bad += row.counts.recent_bad;
        }
    }
    return sum;
}

// (name, value) facets of every group; a name seen in several groups keeps its largest value.
Result<std::vector<FacetValue>> combine_facets(
    const GroupAnswers& groups, std::string_view key, std::string_view attribute
) {
    std::map<std::string, double> best;
    for (const auto& answer : groups.answers) {
        auto values = parse_facet_values(answer.rows_json, key, attribute);
        if (!values) return make_error(values.error());
        for (auto& v : *values) {
            auto [it, fresh] = best.emplace(v.name, v.value);
            if (!fresh) it->second = std::max(it->second, v.value);
        }
    }
    std::vector<FacetValue> out;
    out.reserve(best.size());
    for (auto& [name, value] : best) out.push_back({name, value});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.value > b.value;
    });
    return out;
}

}  // namespace

NerdGraphMetricsSource::NerdGraphMetricsSource(
    http::Client& http, NewRelicConfig config, WallClock clock
)
    : client_(http, std::move(config)), clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

std::int64_t NerdGraphMetricsSource::now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch())
        .count();
}

TimeWindow NerdGraphMetricsSource::last_days(int days) const {
    const auto now = now_ms();
    return TimeWindow{now - clamp_days(days) * kDayMs, now};
}

asio::awaitable<GroupAnswers> NerdGraphMetricsSource::query_all(std::string nrql) {
    const auto& accounts = client_.config().accounts;
    if (accounts.empty()) {
        co_return failure<GroupAnswers>(FetchStatus::failed, "no New Relic account is configured");
    }
    GroupAnswers out;
    for (auto& group : account_groups(accounts, client_.config().accounts_per_query)) {
        auto result = co_await client_.query(std::move(group), nrql);
        if (result.status != FetchStatus::found) {
            co_return failure<GroupAnswers>(result.status, std::move(result.message));
        }
        out.answers.push_back(std::move(result.answer));
    }
    co_return out;
}

asio::awaitable<NerdGraphMetricsSource::KindResult> NerdGraphMetricsSource::detect_kind(
    std::string service, TimeWindow window, bool fresh
) {
    const auto now = now_ms();
    if (const auto it = kinds_.find(service);
        !fresh && it != kinds_.end() && now - it->second.seen_ms < kHourMs) {
        KindResult known;
        known.kind = it->second.kind;
        co_return known;
    }
    for (const auto kind : kKinds) {
        auto nrql = kind_probe_nrql(kind, service, window);
        if (!nrql) co_return failure<KindResult>(FetchStatus::not_found, nrql.error());
        auto answers = co_await query_all(std::move(nrql).value());
        if (answers.status != FetchStatus::found) {
            co_return failure<KindResult>(answers.status, std::move(answers.message));
        }
        std::int64_t events = 0;
        for (const auto& answer : answers.answers) {
            auto n = parse_total(answer.rows_json, "n");
            if (!n) {
                log::warn("NerdGraph probe answer unreadable: {}", n.error());
                co_return failure<KindResult>(FetchStatus::unavailable, kUnreadableAnswer);
            }
            events += *n;
        }
        if (events > 0) {
            kinds_[service] = KnownKind{kind, now};
            KindResult found;
            found.kind = kind;
            co_return found;
        }
    }
    co_return failure<KindResult>(FetchStatus::not_found, "");
}

asio::awaitable<ServiceListResult> NerdGraphMetricsSource::list_services(TimeWindow window) {
    std::map<std::string, double> traffic;
    for (const auto kind : kKinds) {
        auto nrql = services_nrql(kind, window);
        auto answers = co_await query_all(std::move(nrql));
        if (answers.status != FetchStatus::found) {
            co_return failure<ServiceListResult>(answers.status, std::move(answers.message));
        }
        const auto* attribute = kind == ServiceKind::apm ? "appName" : "service.name";
        auto values = combine_facets(answers, "requests", attribute);
        if (!values) {
            log::warn("NerdGraph service list unreadable: {}", values.error());
            co_return failure<ServiceListResult>(FetchStatus::unavailable, kUnreadableAnswer);
        }
        for (const auto& v : *values) traffic[v.name] = std::max(traffic[v.name], v.value);
    }
    std::vector<std::pair<std::string, double>> ranked(traffic.begin(), traffic.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second > b.second;
    });
    ServiceListResult result;
    result.status = FetchStatus::found;
    for (auto& [name, requests] : ranked) result.services.push_back(name);
    co_return result;
}

asio::awaitable<ServiceListResult> NerdGraphMetricsSource::services(int window_days) {
    co_return co_await list_services(last_days(window_days));
}

asio::awaitable<StatsResult> NerdGraphMetricsSource::unknown_service(
    std::string service, int days
) {
    auto list = co_await list_services(last_days(days));
    StatsResult r;
    r.status = FetchStatus::not_found;
    if (list.status == FetchStatus::found) {
        r.did_you_mean = similar_names(service, list.services, kSuggestions);
    }
    r.message = fmt::format("no data for {} in the last {}", service, last_text(days));
    if (!r.did_you_mean.empty()) {
        r.message += fmt::format("; did you mean {}?", fmt::join(r.did_you_mean, ", "));
    }
    co_return r;
}

asio::awaitable<GroupAnswers> NerdGraphMetricsSource::endpoint_stats(
    ServiceKind kind, StatsQuery query, TimeWindow window
) {
    EndpointStatsParams params;
    params.apdex_t_ms = query.apdex_t_ms;
    params.slow_ms = query.slow_ms;
    params.limit = query.max_endpoints;
    auto nrql = endpoint_stats_nrql(kind, query.service, params, window);
    if (!nrql) co_return failure<GroupAnswers>(FetchStatus::failed, nrql.error());
    co_return co_await query_all(std::move(nrql).value());
}

asio::awaitable<StatsResult> NerdGraphMetricsSource::service_stats(StatsQuery query) {
    query.window_days = clamp_days(query.window_days);
    query.max_endpoints = std::clamp<std::size_t>(query.max_endpoints, 1, kNrqlLimitMax);
    // Explicit periods (/incident): the service is known when either has data, and a window
    // without requests is an answer (the service stopped), not an unknown service.
    const bool given = query.window.until_ms > query.window.since_ms;
    const auto current = given ? TimeWindow{query.window.since_ms, query.window.until_ms}
                               : last_days(query.window_days);
    const TimeWindow previous =
        given && query.usual.until_ms > query.usual.since_ms
            ? TimeWindow{query.usual.since_ms, query.usual.until_ms}
            : TimeWindow{current.from_ms - (current.to_ms - current.from_ms), current.from_ms};
    const TimeWindow probe =
        given ? TimeWindow{std::min(current.from_ms, previous.from_ms), current.to_ms} : current;
    if (given)
        query.window_days = clamp_days(int((probe.to_ms - probe.from_ms + kDayMs - 1) / kDayMs));
    auto kind = co_await detect_kind(query.service, probe, true);
    if (kind.status == FetchStatus::not_found && kind.message.empty()) {
        co_return co_await unknown_service(query.service, query.window_days);
    }
    if (kind.status != FetchStatus::found) {
        co_return failure<StatsResult>(kind.status, std::move(kind.message));
    }
    StatsResult result;
    result.stats.service = query.service;
    result.stats.kind = kind.kind;
    result.stats.window = ReportWindow{current.from_ms, current.to_ms};
    const std::array<TimeWindow, 2> windows{current, previous};
    for (const auto& window : windows) {
        auto answers = co_await endpoint_stats(kind.kind, query, window);
        if (answers.status != FetchStatus::found) {
            co_return failure<StatsResult>(answers.status, std::move(answers.message));
        }
        const bool is_current = window.from_ms == current.from_ms;
        bool cut = false;
        auto endpoints = combine_endpoints(answers, kind.kind, query.max_endpoints, cut);
        if (!endpoints) {
            log::warn("NerdGraph endpoint statistics unreadable: {}", endpoints.error());
            co_return failure<StatsResult>(FetchStatus::unavailable, kUnreadableAnswer);
        }
        if (is_current && endpoints->empty() && !given) {
            co_return co_await unknown_service(query.service, query.window_days);
        }
        (is_current ? result.stats.endpoints : result.stats.previous) = std::move(*endpoints);
        if (is_current) result.stats.truncated = cut;
    }
    if (given && result.stats.endpoints.empty() && result.stats.previous.empty()) {
        co_return co_await unknown_service(query.service, query.window_days);
    }
    result.status = FetchStatus::found;
    co_return result;
}

asio::awaitable<SloResult> NerdGraphMetricsSource::slo_counts(SloSpec slo) {
    slo.window_days = clamp_days(slo.window_days);
    const auto window = last_days(slo.window_days);
    const auto no_data = fmt::format(
        "no data for SLO {} ({}) in the last {}", slo.name, slo.service, last_text(slo.window_days)
    );
    auto kind = co_await detect_kind(slo.service, window, false);
    if (kind.status == FetchStatus::not_found && kind.message.empty()) {
        co_return failure<SloResult>(FetchStatus::not_found, no_data);
    }
    if (kind.status != FetchStatus::found) {
        co_return failure<SloResult>(kind.status, std::move(kind.message));
    }
    auto result = co_await slo_window(kind.kind, slo, window, window.to_ms - kHourMs);
    if (result.status == FetchStatus::found && result.counts.total == 0) {
        co_return failure<SloResult>(FetchStatus::not_found, no_data);
    }
    co_return result;
}

asio::awaitable<SloResult> NerdGraphMetricsSource::slo_window(
    ServiceKind kind, SloSpec slo, TimeWindow window, std::int64_t recent_since_ms
) {
    auto nrql = slo_counts_nrql(kind, slo, window, recent_since_ms);
    if (!nrql) {
        co_return failure<SloResult>(
            FetchStatus::failed, fmt::format("SLO {}: {}", slo.name, nrql.error())
        );
    }
    auto answers = co_await query_all(std::move(nrql).value());
    if (answers.status != FetchStatus::found) {
        co_return failure<SloResult>(answers.status, std::move(answers.message));
    }
    auto counts = combine_slo(answers, slo);
    if (!counts) {
        log::warn("NerdGraph SLO counts unreadable: {}", counts.error());
        co_return failure<SloResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    SloResult result;
    result.status = FetchStatus::found;
    result.counts = *counts;
    co_return result;
}

asio::awaitable<TraceIdsResult> NerdGraphMetricsSource::slowest_traces(
    std::string service, std::string endpoint, int count, int window_days
) {
    TraceIdsResult result;
    result.status = FetchStatus::found;
    if (count <= 0) co_return result;
    const auto window = last_days(window_days);
    auto kind = co_await detect_kind(service, window, false);
    if (kind.status != FetchStatus::found) {
        if (kind.message.empty()) {
            kind.message = fmt::format(
                "no data for {} in the last {}", service, last_text(clamp_days(window_days))
            );
        }
        co_return failure<TraceIdsResult>(kind.status, std::move(kind.message));
    }
    const auto wanted = static_cast<std::size_t>(count);
    // A few spare rows: ids the trace source could not query are dropped below.
    auto nrql = slowest_traces_nrql(kind.kind, service, endpoint, wanted + kSpareTraces, window);
    if (!nrql) co_return failure<TraceIdsResult>(FetchStatus::not_found, nrql.error());
    auto answers = co_await query_all(std::move(nrql).value());
    if (answers.status != FetchStatus::found) {
        co_return failure<TraceIdsResult>(answers.status, std::move(answers.message));
    }
    auto traces = combine_facets(answers, "slowest", trace_attribute(kind.kind));
    if (!traces) {
        log::warn("NerdGraph slowest traces unreadable: {}", traces.error());
        co_return failure<TraceIdsResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    for (const auto& t : *traces) {
        // Only ids the trace source can query, lower-cased as it expects them.
        if (result.trace_ids.size() >= wanted || !is_query_safe_trace_id(t.name)) continue;
        std::string id = t.name;
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.trace_ids.push_back(std::move(id));
    }
    co_return result;
}

}  // namespace nra::newrelic
