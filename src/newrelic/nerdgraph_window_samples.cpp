// NerdGraphMetricsSource::window_samples: the trace ids /incident analyses, one NRQL query over
// the endpoints asked (metrics_queries.hpp window_samples_nrql), per group of accounts.
#include <algorithm>
#include <cctype>
#include <set>

#include "log/log.hpp"
#include "newrelic/metrics_queries.hpp"
#include "newrelic/metrics_response.hpp"
#include "newrelic/nerdgraph_metrics_detail.hpp"
#include "newrelic/nerdgraph_metrics_source.hpp"
#include "newrelic/nerdgraph_response.hpp"
#include "newrelic/nrql_quote.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;
using detail::failure;

asio::awaitable<SampleResult> NerdGraphMetricsSource::window_samples(SampleQuery query) {
    SampleResult result;
    result.status = FetchStatus::found;
    if (query.endpoints.size() > kMaxSampledEndpoints) query.endpoints.resize(kMaxSampledEndpoints);
    if (query.endpoints.empty()) co_return result;
    const TimeWindow window{query.window.since_ms, query.window.until_ms};
    auto kind = co_await detect_kind(query.service, window, false);
    if (kind.status != FetchStatus::found) {
        if (kind.message.empty())
            kind.message = "no request of " + query.service + " in the window";
        co_return failure<SampleResult>(kind.status, std::move(kind.message));
    }
    auto nrql =
        window_samples_nrql(kind.kind, query.service, query.endpoints, query.per_endpoint, window);
    if (!nrql) co_return failure<SampleResult>(FetchStatus::failed, nrql.error());
    auto answers = co_await query_all(std::move(nrql).value());
    if (answers.status != FetchStatus::found) {
        co_return failure<SampleResult>(answers.status, std::move(answers.message));
    }
    std::set<std::pair<std::string, int>> seen;
    for (const auto& answer : answers.answers) {
        auto samples = parse_window_samples(answer.rows_json);
        if (!samples) {
            log::warn("NerdGraph window samples unreadable: {}", samples.error());
            co_return failure<SampleResult>(FetchStatus::unavailable, kUnreadableAnswer);
        }
        for (auto& s : *samples) {
            // Only ids the trace source can query, lower-cased as it expects them.
            if (!is_query_safe_trace_id(s.trace_id)) continue;
            for (char& c : s.trace_id)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (seen.emplace(s.trace_id, static_cast<int>(s.reason)).second) {
                result.samples.push_back(std::move(s));
            }
        }
    }
    // The query's endpoint order (every group answers in its own), then by reason.
    const auto rank = [&query](const WindowSample& s) {
        const auto it =
            std::find_if(query.endpoints.begin(), query.endpoints.end(), [&s](const auto& e) {
                return e.name == s.endpoint;
            });
        return std::pair(it - query.endpoints.begin(), static_cast<int>(s.reason));
    };
    std::stable_sort(
        result.samples.begin(),
        result.samples.end(),
        [&rank](const auto& a, const auto& b) { return rank(a) < rank(b); }
    );
    co_return result;
}

}  // namespace nra::newrelic
