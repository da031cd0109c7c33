// NerdGraphContextSource: typical requests of the trace's endpoint and deployments of its
// services (change_queries.hpp), each one NRQL query over the account groups.
#include <algorithm>

#include "log/log.hpp"
#include "newrelic/change_queries.hpp"
#include "newrelic/nerdgraph_context_source.hpp"
#include "newrelic/nerdgraph_metrics_detail.hpp"
#include "newrelic/nerdgraph_response.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kTypicalCandidates = 5;

// What `read` makes of every group's rows, joined; nullopt when one is unreadable.
template <class T, class Read>
std::optional<std::vector<T>> joined(const NerdGraphContextSource::Rows& rows, Read read) {
    std::vector<T> out;
    for (const auto& answer : rows.rows_json) {
        auto part = read(answer);
        if (!part) {
            log::warn("context: unreadable answer: {}", part.error());
            return std::nullopt;
        }
        std::move(part->begin(), part->end(), std::back_inserter(out));
    }
    return out;
}

std::string late_or(const NerdGraphContextSource::Rows& rows, const char* late) {
    return rows.status == FetchStatus::timed_out ? std::string(late) : rows.message;
}

}  // namespace

asio::awaitable<TypicalResult> NerdGraphContextSource::typical(TypicalQuery query) {
    const auto deadline = deadline_of(query.deadline);
    auto nrql = typical_candidates_nrql(query);
    if (!nrql) co_return detail::failure<TypicalResult>(FetchStatus::failed, nrql.error());
    auto pending = ask(std::move(*nrql), deadline);
    const auto rows = co_await std::move(pending);
    if (rows.status != FetchStatus::found) {
        log::warn("typical request: {} ({})", to_string(rows.status), rows.message);
        co_return detail::failure<TypicalResult>(
            rows.status, late_or(rows, "New Relic did not answer the typical-request query in time")
        );
    }
    const auto read = [&query](const std::string& answer) {
        return read_typical_candidates(answer, query.trace_id, kTypicalSampleRows);
    };
    auto candidates = joined<TypicalCandidate>(rows, read);
    if (!candidates) {
        co_return detail::failure<TypicalResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    // Groups answered separately: nearest the median of all of them first.
    TypicalResult out;
    out.status = FetchStatus::found;
    out.candidates = nearest_median(std::move(*candidates), kTypicalCandidates);
    co_return out;
}

asio::awaitable<ChangeResult> NerdGraphContextSource::changes(ChangeQuery query) {
    const auto deadline = deadline_of(query.deadline);
    auto nrql = deployments_nrql(query, kMaxDeploymentEvents);
    if (!nrql) co_return detail::failure<ChangeResult>(FetchStatus::failed, nrql.error());
    auto pending = ask(std::move(*nrql), deadline);
    const auto rows = co_await std::move(pending);
    if (rows.status != FetchStatus::found) {
        log::warn("deployments: {} ({})", to_string(rows.status), rows.message);
        co_return detail::failure<ChangeResult>(
            rows.status, late_or(rows, "New Relic did not answer the deployment query in time")
        );
    }
    const auto read = [&query](const std::string& answer) {
        return read_deployments(answer, query.guids);
    };
    auto events = joined<DeploymentEvent>(rows, read);
    if (!events) {
        co_return detail::failure<ChangeResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    ChangeResult out;
    out.status = FetchStatus::found;
    out.truncated = rows.most_rows >= kMaxDeploymentEvents;
    std::stable_sort(events->begin(), events->end(), [](const auto& a, const auto& b) {
        return a.at_ms > b.at_ms;
    });
    if (events->size() > kMaxDeploymentEvents) events->resize(kMaxDeploymentEvents);
    out.events = std::move(*events);
    co_return out;
}

}  // namespace nra::newrelic
