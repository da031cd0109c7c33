// Reading the `results` rows of the incident-context queries (context_queries.hpp) into log lines
// and blast-radius buckets. Pure and defensive (reference newrelic.md §3.3): numbers may be ints,
// floats, strings or null, rows may lack any attribute, messages are hostile text; odd values are
// skipped, nothing throws. Error only when the rows are not a JSON array.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "nra/analysis/incident_context.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {

// Longest message kept from one line (the renderers clip further to kMaxLogMessage).
inline constexpr std::size_t kMaxReadMessage = 8 * kMaxLogMessage;

// a + b for counts from several answers: saturates instead of overflowing.
std::int64_t add_counts(std::int64_t a, std::int64_t b);

// Rows of log_lines_nrql(): level from `level`, else `log.level`, else `severity.text`
// (lower-cased); span from `span.id`, `span_id` or `spanId`; service from `entity.name`, else
// `service.name`; timestamp in ms. Rows without a timestamp or a message are skipped.
Result<std::vector<LogLine>> read_log_lines(std::string_view rows_json);

// Rows of blast_series_nrql() as `buckets` buckets of `bucket_minutes` from `from_ms`, oldest
// first: each row goes to the bucket nearest its `beginTimeSeconds`; a missing row counts 0.
Result<std::vector<BlastBucket>> read_blast_buckets(
    std::string_view rows_json, std::int64_t from_ms, int bucket_minutes, int buckets
);

struct BlastUsers {
    std::int64_t users = 0;      // distinct enduser.id among the matching spans
    std::int64_t with_user = 0;  // matching spans that carry an enduser.id
};

// The single row of blast_users_nrql() (no row: zeros).
Result<BlastUsers> read_blast_users(std::string_view rows_json);

// The p99 in milliseconds from subject_p99_nrql() (`ms`, else `s` × 1000); nullopt without one.
Result<std::optional<double>> read_subject_p99(std::string_view rows_json);

}  // namespace nra::newrelic
