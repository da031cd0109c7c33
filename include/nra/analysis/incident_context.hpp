// Incident context of one trace: its log lines (logs in context) and its blast radius (how many
// requests of the last hour share its failure or its slowness, since when, still happening, the
// day before, users, the SLO's burn). Pure values and rules; the numbers come from a
// ContextSource (NerdGraph NRQL, the demo dataset) and are judged here, so every source words
// them the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nra {

struct Summary;
struct TraceTree;

// One log line of the trace. `level` is lower-case as written ("error", "warn", "info", …; empty
// when the line had none); `message` is the application's text, unescaped and unclipped here
// (every renderer escapes and clips it: it is user data).
struct LogLine {
    std::int64_t timestamp_ms = 0;
    std::string level;
    std::string message;
    std::string span_id;  // empty: not attached to a span
    std::string service;
};

enum class LogSeverity { error, warning, other };
LogSeverity log_severity(const std::string& level);  // "ERROR", "fatal", "Warning", "crit"…

// How many lines a summary keeps, and how long a message may be in any output.
inline constexpr std::size_t kMaxLogLines = 300;
inline constexpr std::size_t kMaxLogMessage = 2000;

// Errors first, then warnings, then the rest; each group in time order; repeated lines (same
// span, level and message) kept once; at most kMaxLogLines; messages clipped to kMaxLogMessage
// (on a UTF-8 boundary, "…" appended). Lines of spans the trace does not have keep their span id.
std::vector<LogLine> order_log_lines(std::vector<LogLine> lines);

// The first error line of the error-origin span, else of any failing span, else the first error
// line at all (of a span that did not fail, or of none); null without error lines.
const LogLine* first_error_line(const Summary& summary);

// What the blast radius counts: requests of the entry point (slowness, or a failure of the root
// itself) or calls of the operation where the failure started.
struct BlastSubject {
    enum class Match { failure, slowness } match = Match::failure;
    std::string service;        // entity.name of the spans counted
    std::string name;           // span name counted
    std::string noun;           // "requests" (the entry point) or "calls"
    std::string error_class;    // failure: the origin's class (preferred) …
    std::string error_message;  // … or its message (when there is no class)
    double usual_p99_ms = 0;    // slowness: requests slower than this match (0: ask the source)
    double trace_ms = 0;        // the trace's own duration (slowness)
};

// The subject of a trace: its failure when it failed, else its slowness when a baseline says the
// root was slower than usual or the caller asks; nullopt when the summary has no root.
std::optional<BlastSubject> blast_subject(const Summary& summary);

// Per-bucket counts as a source measured them (5-minute buckets, oldest first).
struct BlastBucket {
    std::int64_t start_ms = 0;
    std::int64_t total = 0;
    std::int64_t matching = 0;
};

struct BlastSeries {
    int window_minutes = 60;
    int bucket_minutes = 5;
    std::int64_t until_ms = 0;                             // the window's end (now)
    std::vector<BlastBucket> buckets;                      // the last window_minutes
    std::optional<std::vector<BlastBucket>> previous_day;  // the same window a day before
    std::optional<std::int64_t> users;                     // distinct enduser.id among the matching
    double threshold_ms = 0;                               // slowness: the duration that matched
};

// The SLO of the service whose budget this failure or slowness spends, and its burn rate over
// the last hour (1 spends exactly the budget over the SLO window).
struct SloBurn {
    std::string name;
    double burn_rate = 0;
};

// The Summary JSON's blast_radius; nullopt fields are null.
struct BlastRadius {
    BlastSubject subject;
    int window_minutes = 60;
    int bucket_minutes = 5;
    std::int64_t matching = 0;
    std::int64_t total = 0;
    std::optional<double> share;               // matching / total (0–1); null when total is 0
    std::optional<std::int64_t> since_ms;      // start of the first bucket above the usual level
    bool since_window_start = false;           // …which is the window's first: "since at least"
    std::optional<bool> still_happening;       // one of the two latest buckets above usual
    std::optional<std::int64_t> previous_day;  // matching in the same window a day before
    std::optional<std::int64_t> users;
    std::optional<SloBurn> slo_burn;
};

// The judgement (docs/incidents.md "Blast radius"): the usual level of a bucket is the previous
// day's mean per bucket; a bucket is above it when its matching count exceeds twice that level and
// at least 1 more (so 1 where the day before had none). `since` is the first such bucket;
// `still_happening` when one of the two latest buckets is (the last one is partial). Without the
// day before there is no usual level: neither is said.
BlastRadius judge_blast_radius(const BlastSubject& subject, const BlastSeries& series);

// Burn rates from this value up are "act now" (SRE Workbook: 2 % of a 30-day budget in an hour).
inline constexpr double kActNowBurn = 14.4;

// One plain sentence: "Not alone: 1,204 of 38,900 `POST /api/orders` requests in the last hour
// failed the same way (3.1 %), since 14:02 UTC, still happening; yesterday at this time: 0."
// `shown` is the subject's name as the medium shows it (escaped and quoted by the caller); the
// sentence holds no other text that came from outside.
std::string blast_sentence(const BlastRadius& radius, const std::string& shown);
// "the `orders` availability budget is burning 14× — act now" / "… within budget".
std::string slo_burn_sentence(const SloBurn& burn, const std::string& shown_name);

// What the summary says about an enrichment that has not arrived or failed ("logs: New Relic
// did not answer in time"); empty when it arrived.
struct ContextNotes {
    std::string logs;
    std::string blast_radius;
    std::string typical;
    std::string changes;
};

}  // namespace nra
