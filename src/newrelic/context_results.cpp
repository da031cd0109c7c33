#include "newrelic/context_results.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "newrelic/nrql_rows.hpp"

namespace nra::newrelic {
namespace {

using Json = nlohmann::json;
using nrql_rows::count_of;
using nrql_rows::number_of;
using nrql_rows::percentile;
using nrql_rows::percentiles_of;

constexpr std::size_t kMaxLogIdLength = 128;     // span ids are 16 hex; anything longer is junk
constexpr std::size_t kMaxLogNameLength = 1024;  // service names, levels
constexpr double kMaxLogTimestampMs = 1e15;      // year 33658: anything later is junk

Result<Json> context_rows_of(std::string_view rows_json) {
    auto rows = Json::parse(rows_json.empty() ? std::string_view("[]") : rows_json, nullptr, false);
    if (rows.is_discarded() || !rows.is_array()) {
        return make_error("the New Relic rows are not a JSON list");
    }
    return rows;
}

// The first non-empty string among `keys` no longer than `max`; empty when none.
std::string first_log_text(
    const Json& row, std::initializer_list<const char*> keys, std::size_t max
) {
    for (const char* key : keys) {
        const auto it = row.find(key);
        if (it == row.end() || !it->is_string()) continue;
        const auto& text = it->get_ref<const std::string&>();
        if (!text.empty() && text.size() <= max) return text;
    }
    return {};
}

std::string lower_cased_level(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// At most `max` bytes, cut on a UTF-8 boundary.
std::string clipped_message(std::string text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;
    text.resize(cut);
    return text;
}

std::optional<std::int64_t> log_timestamp_of(const Json& row) {
    const auto it = row.find("timestamp");
    const auto ms = it == row.end() ? std::nullopt : number_of(*it);
    if (!ms || *ms < 0 || *ms > kMaxLogTimestampMs) return std::nullopt;
    return std::llround(*ms);
}

std::optional<LogLine> log_line_of(const Json& row) {
    if (!row.is_object()) return std::nullopt;
    const auto ts = log_timestamp_of(row);
    const auto message = row.find("message");
    if (!ts || message == row.end() || !message->is_string()) return std::nullopt;
    LogLine line;
    line.timestamp_ms = *ts;
    line.message = clipped_message(message->get<std::string>(), kMaxReadMessage);
    line.level = lower_cased_level(
        first_log_text(row, {"level", "log.level", "severity.text"}, kMaxLogNameLength)
    );
    line.span_id = first_log_text(row, {"span.id", "span_id", "spanId"}, kMaxLogIdLength);
    line.service = first_log_text(row, {"entity.name", "service.name"}, kMaxLogNameLength);
    return line;
}

}  // namespace

std::int64_t add_counts(std::int64_t a, std::int64_t b) {
    return b > std::numeric_limits<std::int64_t>::max() - a
               ? std::numeric_limits<std::int64_t>::max()
               : a + b;
}

Result<std::vector<LogLine>> read_log_lines(std::string_view rows_json) {
    auto rows = context_rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    std::vector<LogLine> lines;
    for (const auto& row : *rows) {
        if (auto line = log_line_of(row)) lines.push_back(std::move(*line));
    }
    return lines;
}

Result<std::vector<BlastBucket>> read_blast_buckets(
    std::string_view rows_json, std::int64_t from_ms, int bucket_minutes, int buckets
) {
    auto rows = context_rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    const std::int64_t bucket_ms = std::int64_t{std::max(1, bucket_minutes)} * 60'000;
    std::vector<BlastBucket> out(static_cast<std::size_t>(std::max(0, buckets)));
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].start_ms = from_ms + static_cast<std::int64_t>(i) * bucket_ms;
    }
    for (const auto& row : *rows) {
        if (!row.is_object()) continue;
        const auto it = row.find("beginTimeSeconds");
        const auto begin_s = it == row.end() ? std::nullopt : number_of(*it);
        if (!begin_s || std::abs(*begin_s) > kMaxLogTimestampMs / 1000) continue;
        // Nearest bucket: New Relic may snap the window to whole buckets.
        const double offset =
            (*begin_s * 1000.0 - static_cast<double>(from_ms)) / static_cast<double>(bucket_ms);
        const auto index = std::llround(offset);
        if (index < 0 || index >= static_cast<long long>(out.size())) continue;
        auto& bucket = out[static_cast<std::size_t>(index)];
        bucket.total = add_counts(bucket.total, count_of(row, "total"));
        bucket.matching = add_counts(bucket.matching, count_of(row, "matching"));
    }
    return out;
}

Result<BlastUsers> read_blast_users(std::string_view rows_json) {
    auto rows = context_rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    BlastUsers out;
    for (const auto& row : *rows) {
        if (!row.is_object()) continue;
        out.users = add_counts(out.users, count_of(row, "users"));
        out.with_user = add_counts(out.with_user, count_of(row, "with_user"));
    }
    return out;
}

Result<std::optional<double>> read_subject_p99(std::string_view rows_json) {
    auto rows = context_rows_of(rows_json);
    if (!rows) return make_error(rows.error());
    std::optional<double> best;
    for (const auto& row : *rows) {
        if (!row.is_object()) continue;
        auto ms = percentile(percentiles_of(row, {"ms", "percentile.duration.ms"}), 99);
        if (!ms) {
            const auto s = percentile(percentiles_of(row, {"s", "percentile.duration"}), 99);
            if (s && std::isfinite(*s * 1000.0)) ms = *s * 1000.0;
        }
        if (ms && *ms > 0 && (!best || *ms > *best)) best = ms;
    }
    return best;
}

}  // namespace nra::newrelic
