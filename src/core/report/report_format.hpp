// Private to the report renderers and the ticket text: human-friendly numbers ("1,234 ms",
// "99.93 %", "120 rpm"), breach and change sentences, dates. Plain text: callers escape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nra/report/report.hpp"

namespace nra::report_format {

// 1234567 → "1,234,567"; negative numbers keep their sign.
std::string thousands(std::int64_t value);
// "0.8 ms", "12.3 ms", "1,234 ms" (milliseconds throughout, so figures compare at a glance).
std::string ms(double value);
// Fraction → percent: 0.9993 → "99.93 %"; 3 decimals above 99.99 %; "−30 %" style negatives.
std::string percent(double fraction);
// "89.35 %", but whole numbers from 100 % on ("2,500 %"): for narrow columns.
std::string short_percent(double fraction);
// Target fraction → shortest percent: 0.999 → "99.9 %", 0.99995 → "99.995 %".
std::string target_percent(double fraction);
// "0.4 rpm", "12 rpm", "1,234 rpm".
std::string rpm(double value);
std::string apdex(double value);
// "12.5×" burn rate.
std::string times(double value);
// Human label: "p95", "error rate", "Apdex", anything else as it is.
std::string metric_label(std::string_view metric);
// The value of a metric as shown: ms for p95, percent for error rate, 0.00 for Apdex.
std::string metric_figure(std::string_view metric, double value);
// "p95 1,800 ms > 1,000 ms", "Apdex 0.71 < 0.85", lingering: "p95 950 ms, still open (within
// 1,000 ms, not yet clear of the hysteresis band)".
std::string breach_text(const Breach& breach);
// "new breach", "worse (p95 +25 %)", "better (error rate −40 %)", "fixed", "same".
std::string change_text(const EndpointReport& endpoint);
// Machine name for JSON: "new_breach", "worse", "better", "same", "fixed".
std::string change_name(Change change);
// "42 % of the error budget", "12 % of the excess latency time", "" when impact is 0.
std::string impact_text(const EndpointReport& endpoint);
// Epoch milliseconds → "2024-05-01T09:00:00Z" / "2024-05-01".
std::string iso_time(std::int64_t epoch_ms);
std::string iso_date(std::int64_t epoch_ms);
// "2024-05-01 → 2024-05-08" (dates; times when the window is shorter than two days).
std::string window_text(const ReportWindow& window);
// "p95 1,800 ms · errors 2.50 % · Apdex 0.71" (what is known).
std::string figures_line(const EndpointStats& stats);

}  // namespace nra::report_format
