// MetricsSource over NerdGraph NRQL: finds whether a service reports Transaction events (APM,
// preferred) or server/consumer spans (OpenTelemetry), then asks per-endpoint statistics for the
// report window and the one before it, SLO counts, slowest traces and the service list. Accounts
// are queried in cross-account groups of 5 and the answers combined.
// The two windows are two queries with absolute SINCE/UNTIL rather than COMPARE WITH: COMPARE
// WITH picks facets from the current window only and needs another GraphQL selection, while
// two plain queries return both endpoint lists whole in the shape already parsed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "newrelic/metrics_queries.hpp"
#include "newrelic/nerdgraph_client.hpp"
#include "nra/ports/metrics_source.hpp"

namespace nra::newrelic {

// The answers of one NRQL query from every account group, or the first failure.
struct GroupAnswers {
    FetchStatus status = FetchStatus::found;
    std::string message;
    std::vector<NrqlAnswer> answers;
};

class NerdGraphMetricsSource final : public MetricsSource {
public:
    using WallClock = std::function<std::chrono::system_clock::time_point()>;

    NerdGraphMetricsSource(http::Client& http, NewRelicConfig config, WallClock clock = {});

    boost::asio::awaitable<StatsResult> service_stats(StatsQuery query) override;
    boost::asio::awaitable<SloResult> slo_counts(SloSpec slo) override;
    // One query per window (nerdgraph_slo_history.cpp), after one kind probe over the whole span.
    boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec slo, int windows) override;
    boost::asio::awaitable<TraceIdsResult> slowest_traces(
        std::string service, std::string endpoint, int count, int window_days
    ) override;
    boost::asio::awaitable<ServiceListResult> services(int window_days) override;
    // nerdgraph_window_samples.cpp
    boost::asio::awaitable<SampleResult> window_samples(SampleQuery query) override;

private:
    struct KindResult {
        FetchStatus status = FetchStatus::found;  // not_found: neither kind has data
        std::string message;
        ServiceKind kind = ServiceKind::apm;
    };

    boost::asio::awaitable<GroupAnswers> query_all(std::string nrql);
    // APM when Transaction events exist in the window, else OTel when entry spans do. A found
    // kind is remembered for an hour so per-endpoint lookups do not ask again (unless `fresh`).
    boost::asio::awaitable<KindResult> detect_kind(
        std::string service, TimeWindow window, bool fresh
    );
    boost::asio::awaitable<ServiceListResult> list_services(TimeWindow window);
    // "no data for X in the last N days; did you mean …" from the services with data.
    boost::asio::awaitable<StatsResult> unknown_service(std::string service, int days);
    boost::asio::awaitable<GroupAnswers> endpoint_stats(
        ServiceKind kind, StatsQuery query, TimeWindow window
    );
    // The SLO's counts in one window, summed over account groups; found with total 0 when empty.
    boost::asio::awaitable<SloResult> slo_window(
        ServiceKind kind, SloSpec slo, TimeWindow window, std::int64_t recent_since_ms
    );
    TimeWindow last_days(int days) const;
    std::int64_t now_ms() const;

    NerdGraphClient client_;
    WallClock clock_;
    struct KnownKind {
        ServiceKind kind;
        std::int64_t seen_ms;
    };
    std::map<std::string, KnownKind> kinds_;
};

}  // namespace nra::newrelic
