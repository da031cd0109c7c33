#include "newrelic/nerdgraph_context_source.hpp"

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

#include "log/log.hpp"
#include "newrelic/context_queries.hpp"
#include "newrelic/context_results.hpp"
#include "newrelic/nerdgraph_client.hpp"
#include "newrelic/nerdgraph_metrics_detail.hpp"
#include "newrelic/nerdgraph_response.hpp"

namespace nra::newrelic {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

constexpr const char* kLogsTimedOut = "New Relic did not answer the log query in time";
constexpr const char* kBlastTimedOut = "New Relic did not answer the blast radius query in time";
constexpr std::int64_t kContextMinuteMs = 60'000;
constexpr std::int64_t kContextDayMs = 24 * 60 * kContextMinuteMs;
constexpr int kMaxBlastBucketMinutes = 60;
constexpr int kMaxBlastWindowMinutes = 24 * 60;
constexpr double kSlowTraceShare = 0.9;  // slowness without a usual p99: 90 % of the trace's time

using ContextRows = NerdGraphContextSource::Rows;

// The rows of every group read by `read`, joined; an unreadable group fails the whole answer.
template <class T, class Read>
Result<std::vector<T>> read_log_groups(const ContextRows& rows, Read read) {
    std::vector<T> out;
    for (const auto& answer : rows.rows_json) {
        auto part = read(answer);
        if (!part) return make_error(part.error());
        for (auto& item : *part) out.push_back(std::move(item));
    }
    return out;
}

using LogLineKey = std::tuple<std::int64_t, std::string, std::string, std::string, std::string>;
LogLineKey log_line_key(const LogLine& l) {
    return {l.timestamp_ms, l.span_id, l.level, l.service, l.message};
}

// The error and warning lines first (all of them), then the others, each line once, at most
// `limit`.
std::vector<LogLine> merge_log_lines(
    std::vector<LogLine> severe, std::vector<LogLine> all, std::size_t limit
) {
    std::vector<LogLine> out;
    std::set<LogLineKey> seen;
    for (auto* list : {&severe, &all}) {
        for (auto& line : *list) {
            if (out.size() >= limit) return out;
            if (seen.insert(log_line_key(line)).second) out.push_back(std::move(line));
        }
    }
    return out;
}

// The buckets of every account group added up (each group's list has the same buckets).
Result<std::vector<BlastBucket>> blast_series_of(
    const ContextRows& rows, std::int64_t from_ms, int bucket_minutes, int buckets
) {
    std::vector<BlastBucket> sum;
    for (const auto& answer : rows.rows_json) {
        auto part = read_blast_buckets(answer, from_ms, bucket_minutes, buckets);
        if (!part) return make_error(part.error());
        if (sum.empty()) {
            sum = std::move(*part);
            continue;
        }
        for (std::size_t i = 0; i < sum.size() && i < part->size(); ++i) {
            sum[i].total = add_counts(sum[i].total, (*part)[i].total);
            sum[i].matching = add_counts(sum[i].matching, (*part)[i].matching);
        }
    }
    if (sum.empty()) return read_blast_buckets("[]", from_ms, bucket_minutes, buckets);
    return sum;
}

// Distinct users over the groups (a user seen in two account groups counts twice); nullopt
// when no matching span carries enduser.id.
std::optional<std::int64_t> blast_users_of(const ContextRows& rows) {
    if (rows.status != FetchStatus::found) return std::nullopt;
    BlastUsers sum;
    for (const auto& answer : rows.rows_json) {
        const auto part = read_blast_users(answer);
        if (!part) return std::nullopt;
        sum.users = add_counts(sum.users, part->users);
        sum.with_user = add_counts(sum.with_user, part->with_user);
    }
    if (sum.with_user == 0) return std::nullopt;
    return sum.users;
}

std::string blast_failure_message(const ContextRows& rows) {
    return rows.status == FetchStatus::timed_out ? std::string(kBlastTimedOut) : rows.message;
}

// The window of a blast-radius query: whole buckets ending at until_ms, and the day before.
struct BlastPlan {
    int bucket = 5;
    int buckets = 12;
    std::int64_t until_ms = 0;
    TimeWindow now;
    TimeWindow day_before;
};

BlastPlan blast_plan_of(const BlastQuery& query) {
    BlastPlan plan;
    plan.bucket = std::clamp(query.bucket_minutes, 1, kMaxBlastBucketMinutes);
    plan.buckets =
        std::clamp(query.window_minutes, plan.bucket, kMaxBlastWindowMinutes) / plan.bucket;
    const auto window_ms = std::int64_t{plan.buckets} * plan.bucket * kContextMinuteMs;
    plan.until_ms = query.until_ms;
    plan.now = TimeWindow{query.until_ms - window_ms, query.until_ms};
    plan.day_before = TimeWindow{plan.now.from_ms - kContextDayMs, plan.now.to_ms - kContextDayMs};
    return plan;
}

// The series from the three answers: the current window's is required, the day before and the
// users are extras (nullopt when they failed).
BlastResult blast_result_of(
    const BlastPlan& plan,
    double threshold,
    const ContextRows& current,
    const ContextRows& previous,
    const ContextRows& users
) {
    if (current.status != FetchStatus::found) {
        log::warn("blast radius: {} ({})", to_string(current.status), current.message);
        return detail::failure<BlastResult>(current.status, blast_failure_message(current));
    }
    auto series = blast_series_of(current, plan.now.from_ms, plan.bucket, plan.buckets);
    if (!series) {
        log::warn("blast radius: unreadable answer: {}", series.error());
        return detail::failure<BlastResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    BlastResult out;
    out.status = FetchStatus::found;
    out.series.window_minutes = plan.buckets * plan.bucket;
    out.series.bucket_minutes = plan.bucket;
    out.series.until_ms = plan.until_ms;
    out.series.buckets = std::move(*series);
    out.series.threshold_ms = threshold;
    if (previous.status == FetchStatus::found) {
        auto before = blast_series_of(previous, plan.day_before.from_ms, plan.bucket, plan.buckets);
        if (before) out.series.previous_day = std::move(*before);
    } else {
        log::warn("blast radius: no day before ({})", previous.message);
    }
    out.series.users = blast_users_of(users);
    return out;
}

}  // namespace

NerdGraphContextSource::NerdGraphContextSource(
    http::Client& http, NewRelicConfig config, ContextSourceOptions options
)
    : http_(http), config_(std::move(config)), options_(options) {
    config_.query_timeout_s = options_.query_timeout_s;
}

NerdGraphContextSource::Deadline NerdGraphContextSource::deadline_of(milliseconds asked) const {
    return std::chrono::steady_clock::now() +
           (asked > milliseconds(0) ? asked : options_.default_deadline);
}

asio::awaitable<ContextRows> NerdGraphContextSource::ask_group(
    std::vector<std::int64_t> accounts, std::string nrql, milliseconds left
) {
    auto config = config_;
    config.budget = left;
    NerdGraphClient client(http_, std::move(config));
    auto pending = client.query(std::move(accounts), std::move(nrql));
    auto result = co_await std::move(pending);
    if (result.status != FetchStatus::found) {
        co_return detail::failure<ContextRows>(result.status, std::move(result.message));
    }
    ContextRows out;
    out.most_rows = result.answer.row_count;
    out.rows_json.push_back(
        result.answer.rows_json.empty() ? std::string("[]") : std::move(result.answer.rows_json)
    );
    co_return out;
}

asio::awaitable<ContextRows> NerdGraphContextSource::ask(std::string nrql, Deadline deadline) {
    if (config_.accounts.empty()) {
        co_return detail::failure<ContextRows>(
            FetchStatus::failed, "no New Relic account is configured"
        );
    }
    ContextRows out;
    for (auto& group : account_groups(config_.accounts, config_.accounts_per_query)) {
        const auto left =
            std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
        auto pending = ask_group(std::move(group), nrql, left);
        auto part = co_await std::move(pending);
        if (part.status != FetchStatus::found) co_return part;
        out.most_rows = std::max(out.most_rows, part.most_rows);
        out.rows_json.push_back(std::move(part.rows_json.front()));
    }
    co_return out;
}

asio::awaitable<LogResult> NerdGraphContextSource::logs(LogQuery query) {
    const auto deadline = deadline_of(query.deadline);
    const auto limit = std::clamp<std::size_t>(query.max_lines, 1, kMaxLogLines);
    const TimeWindow window{query.from_ms, query.to_ms};
    auto nrql = log_lines_nrql(query.trace_id, window, limit, false);
    if (!nrql)
        co_return detail::failure<LogResult>(
            FetchStatus::failed, "this trace id cannot be looked up"
        );
    if (window.to_ms <= window.from_ms) {
        co_return detail::failure<LogResult>(
            FetchStatus::failed, "the trace has no time window for logs"
        );
    }
    auto pending = ask(std::move(*nrql), deadline);
    const auto rows = co_await std::move(pending);
    if (rows.status != FetchStatus::found) {
        log::warn("logs: {} ({})", to_string(rows.status), rows.message);
        const bool late = rows.status == FetchStatus::timed_out;
        co_return detail::failure<LogResult>(rows.status, late ? kLogsTimedOut : rows.message);
    }
    auto lines = read_log_groups<LogLine>(rows, read_log_lines);
    if (!lines) {
        log::warn("logs: unreadable answer: {}", lines.error());
        co_return detail::failure<LogResult>(FetchStatus::unavailable, kUnreadableAnswer);
    }
    LogResult out;
    out.status = FetchStatus::found;
    out.lines = std::move(*lines);
    if (rows.most_rows < limit) co_return out;
    // Full: there may be more lines; make sure no error or warning is left out.
    out.truncated = true;
    auto severe_nrql = log_lines_nrql(query.trace_id, window, limit, true);
    auto completed =
        with_severe_lines(std::move(out.lines), std::move(*severe_nrql), deadline, limit);
    out.lines = co_await std::move(completed);
    log::info("logs: {} lines (truncated)", out.lines.size());
    co_return out;
}

asio::awaitable<std::vector<LogLine>> NerdGraphContextSource::with_severe_lines(
    std::vector<LogLine> lines, std::string severe_nrql, Deadline deadline, std::size_t limit
) {
    auto pending = ask(std::move(severe_nrql), deadline);
    const auto rows = co_await std::move(pending);
    auto severe = rows.status == FetchStatus::found
                      ? read_log_groups<LogLine>(rows, read_log_lines)
                      : Result<std::vector<LogLine>>(make_error(rows.message));
    if (!severe) {
        log::warn("logs: the error lines of a long log could not be fetched: {}", severe.error());
        co_return lines;
    }
    co_return merge_log_lines(std::move(*severe), std::move(lines), limit);
}

asio::awaitable<double> NerdGraphContextSource::usual_p99(
    BlastSubject subject, std::int64_t window_from_ms, Deadline deadline
) {
    auto nrql =
        subject_p99_nrql(subject, TimeWindow{window_from_ms - kContextDayMs, window_from_ms});
    if (!nrql) co_return 0.0;
    auto pending = ask(std::move(*nrql), deadline);
    const auto rows = co_await std::move(pending);
    if (rows.status != FetchStatus::found) {
        log::warn("blast radius: no usual p99 ({})", rows.message);
        co_return 0.0;
    }
    double best = 0;
    for (const auto& answer : rows.rows_json) {
        const auto p99 = read_subject_p99(answer);
        if (p99 && p99->has_value()) best = std::max(best, **p99);
    }
    co_return best;
}

asio::awaitable<BlastResult> NerdGraphContextSource::blast_radius(BlastQuery query) {
    const auto deadline = deadline_of(query.deadline);
    const auto plan = blast_plan_of(query);
    const auto& subject = query.subject;
    double threshold = 0;
    if (subject.match == BlastSubject::Match::slowness) {
        threshold = subject.usual_p99_ms;
        if (!std::isfinite(threshold) || threshold <= 0) {
            auto names = subject_p99_nrql(subject, plan.now);  // checks the names before a query
            if (!names) co_return detail::failure<BlastResult>(FetchStatus::failed, names.error());
            auto pending = usual_p99(subject, plan.now.from_ms, deadline);
            threshold = co_await std::move(pending);
        }
        if (threshold <= 0) threshold = kSlowTraceShare * subject.trace_ms;
    }
    auto current = blast_series_nrql(subject, threshold, plan.now, plan.bucket);
    auto previous = blast_series_nrql(subject, threshold, plan.day_before, plan.bucket);
    auto users = blast_users_nrql(subject, threshold, plan.now);
    if (!current || !previous || !users) {
        const auto& why = !current ? current.error() : !previous ? previous.error() : users.error();
        co_return detail::failure<BlastResult>(FetchStatus::failed, why);
    }
    using asio::experimental::awaitable_operators::operator&&;
    auto a = ask(std::move(*current), deadline);
    auto b = ask(std::move(*previous), deadline);
    auto c = ask(std::move(*users), deadline);
    auto all = std::move(a) && std::move(b) && std::move(c);
    const auto answers = co_await std::move(all);
    const auto& [cur_rows, prev_rows, user_rows] = answers;
    co_return blast_result_of(plan, threshold, cur_rows, prev_rows, user_rows);
}

}  // namespace nra::newrelic
