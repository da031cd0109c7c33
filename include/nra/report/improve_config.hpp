// What a team writes down for /improve (nr-analyzer.yaml): thresholds, overrides, SLOs,
// schedules, the Jira policy and code links. Plain values; the YAML loader lives in src/config/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nra/analysis/baseline.hpp"

namespace nra {

// Targets an endpoint is judged against. Unset fields in an override inherit the defaults.
struct Thresholds {
    double p95_ms = 1000;           // latency: p95 above this is a breach
    double error_rate = 0.01;       // fraction 0..1: above this is a breach
    double apdex_t_ms = 500;        // Apdex T
    double apdex_min = 0.85;        // score below this is a breach
    double min_throughput_rpm = 1;  // below this an endpoint is not judged (too little traffic)
};

struct ThresholdOverride {
    std::string service = "*";   // glob (* and ?), matched against the service name
    std::string endpoint = "*";  // glob, matched against the endpoint (transaction/span) name
    std::optional<double> p95_ms, error_rate, apdex_t_ms, apdex_min, min_throughput_rpm;
};

enum class SloKind { availability, latency };

// Who looks after an SLO and when it is looked at again (review digest).
struct SloReview {
    std::string owner;       // Slack user (U…) or user group (S…) id; empty: nobody named
    int interval_days = 90;  // a review is due this long after the last one; 0: never due
    std::optional<std::int64_t> last_reviewed_days;  // days since 1970-01-01 (UTC); none: never
    std::string why;  // "why this target", one sentence in plain words
};

// In the spirit of OpenSLO: a ratio objective over a rolling window.
struct SloSpec {
    std::string name;            // e.g. "checkout-availability"
    std::string service;         // exact service name
    std::string endpoint = "*";  // glob: which endpoints count; "*" = the whole service
    SloKind kind = SloKind::availability;
    double target = 0.999;  // fraction, 0 < target < 1
    double latency_ms = 0;  // latency SLOs: a request is good when duration <= this
    int window_days = 30;   // rolling window: 1, 7, 14, 28 or 30 days
    SloReview review{};
};

// The SLO review digest (the `slo_review:` section).
struct SloReviewSettings {
    int windows = 6;  // SLO windows looked at, the current one included (1–24)
    // Days of events New Relic keeps (Transaction and Span: 8 by default, up to 90 more with
    // Data Plus; the account's Data retention page says). Older windows are not asked for.
    int retention_days = 8;
};

enum class Cadence { daily, weekly };
enum class ScheduleReport { improve, slo_review };

struct Schedule {
    std::string service;  // a service name, or "all"
    std::string channel;  // Slack channel id
    Cadence cadence = Cadence::weekly;
    int weekday = 1;                                  // weekly: 0 = Sunday … 6 = Saturday
    int hour = 9, minute = 0;                         // local time in `time_zone`
    std::string time_zone = "UTC";                    // IANA name, e.g. "Europe/Berlin"
    ScheduleReport report = ScheduleReport::improve;  // what is posted: /improve or SLO review
};

struct JiraPolicy {
    bool auto_create = false;  // open tickets from scheduled reports by themselves
    int persist_runs = 2;      // …only after a breach showed in this many consecutive runs
    std::string project;       // overrides JIRA_PROJECT when set
    std::string issue_type = "Task";
    std::vector<std::string> labels{"nr-analyzer"};
};

struct ImproveConfig {
    Thresholds defaults;
    std::vector<ThresholdOverride> overrides;  // later entries win over earlier ones
    std::vector<SloSpec> slos;
    std::vector<Schedule> schedules;
    JiraPolicy jira;
    // service → URL template for code links; placeholders {service}, {filepath}, {lineno},
    // {function}.
    // Key "*" applies to services without their own entry.
    std::map<std::string, std::string> repositories;
    int window_days = 7;     // report window (the previous window of the same length is compared)
    int top_endpoints = 10;  // endpoints shown in a report
    int sample_traces = 3;   // slowest traces analysed per top endpoint
    int suggest_endpoints = 3;  // top breaching endpoints that get trace-grounded suggestions
    double hysteresis = 0.9;    // a breach clears only below 90 % of its threshold
    // Trace summaries: usual span durations (the `baselines:` section).
    bool baselines_enabled = true;
    BaselineOptions baselines;
    SloReviewSettings slo_review;
    // Slack channels whose messages (also from bots: alerts) are read for trace ids and answered
    // in their thread (`alert_channels:`, plus NR_ANALYZER_ALERT_CHANNELS).
    std::vector<std::string> alert_channels;
};

// The thresholds that apply to one endpoint: defaults, then every matching override in order.
Thresholds thresholds_for(
    const ImproveConfig& config, const std::string& service, const std::string& endpoint
);

// Shell-style glob: `*` any run, `?` one character; everything else literal (case-sensitive).
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace nra
