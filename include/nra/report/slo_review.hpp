// SLO reviews: whether an SLO's target still fits what the service does, from its
// attainment over past windows, in numbers everyone can read. Pure; the windows' counts come
// from the MetricsSource, the review metadata from the SLO configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nra/report/improve_config.hpp"

namespace nra::slo {

// Good/bad counts of one past SLO window (of spec.window_days), oldest first in a history.
struct WindowCounts {
    std::int64_t since_ms = 0;
    std::int64_t until_ms = 0;
    std::int64_t total = 0;  // valid events; 0 = no data for this window
    std::int64_t bad = 0;
};

enum class Suggestion {
    keep,     // the target fits: met, without a margin so wide that users may expect more
    tighten,  // met with a wide margin for several windows
    loosen,   // missed repeatedly, or far above anything the service ever achieved
    no_data,  // too few windows with data to say anything
};
std::string_view to_string(Suggestion suggestion);  // "keep", "tighten", "loosen", "no_data"

struct ReviewOptions {
    int min_windows = 2;            // windows with data needed before suggesting a change
    int tighten_windows = 3;        // consecutive recent windows met with a wide margin
    double wide_margin = 0.75;      // …spending less than 25 % of the budget each time
    int loosen_missed_windows = 2;  // consecutive recent windows missed
    double far_above = 3.0;         // best window still burned > 3× its budget: target unreachable
};

struct Advice {
    Suggestion suggestion = Suggestion::no_data;
    std::optional<double> proposed_target;  // tighten/loosen: a rounded target that fits the data
    std::string because;                    // the numbers behind it, one plain sentence
    std::string rule;  // the SRE workbook rule it follows, one sentence with its chapter
    int windows_with_data = 0;
    int windows_met = 0;
    int release_stops = 0;  // windows whose budget ran out: the error budget policy halts releases
    std::optional<double> best_attainment, worst_attainment;  // 0..1
};

Advice advise(
    const SloSpec& spec, const std::vector<WindowCounts>& history, const ReviewOptions& options = {}
);

// "Checkout answered 99.93 % of requests without an error this month; the promise is 99.9 %;
// 30 % of the month's error budget is left." (latency: "fast enough (within 500 ms)"). `label`
// names the service for people outside SRE (usually the service name). Nullopt-free: with no
// data it says so.
std::string plain_summary(
    const SloSpec& spec, const std::string& label, const WindowCounts& window
);

// Attainment as shown everywhere: truncated, never rounded up to the target or to 100 %, with as
// many decimals as it takes to tell it from the target: 0.99897 at 99.9 % → "99.897 %".
std::string attainment_percent(double attainment, double target);
// A share of an error budget: whole percents from 10 %, one decimal below; `up` rounds up (for
// "spent"), else down (for "left"), so small spends never vanish and "left" never flatters.
std::string budget_percent(double fraction, bool up);

// Days past the review date (last_reviewed + review_interval_days); nullopt when not due or when
// the SLO has no review interval. `today_days`: days since 1970-01-01 (UTC).
std::optional<int> review_overdue_days(const SloSpec& spec, std::int64_t today_days);

}  // namespace nra::slo
