// The review keys of an SLO in nr-analyzer.yaml: who owns it, how often it is
// reviewed, when it last was, and why the target is what it is.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "config/config_sections.hpp"

namespace nra::config::detail {
namespace {

// Slack ids that can be mentioned: users U…/W… (<@U…>), user groups S… (<!subteam^S…>).
bool is_mention_id(std::string_view s) {
    return s.size() >= 9 && (s[0] == 'U' || s[0] == 'W' || s[0] == 'S') &&
           std::all_of(s.begin() + 1, s.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

// "2026-09-01" → days since 1970-01-01; a wrong shape or an impossible date is an error.
std::int64_t date_days(const Source& src, const Field& f) {
    const auto t = text(src, f);
    unsigned y = 0;
    unsigned mo = 0;
    unsigned d = 0;
    char tail = 0;
    const bool shaped = t.size() == 10 && t[4] == '-' && t[7] == '-' &&
                        std::sscanf(t.c_str(), "%4u-%2u-%2u%c", &y, &mo, &d, &tail) == 3;
    const std::chrono::year_month_day date{
        std::chrono::year(static_cast<int>(y)), std::chrono::month(mo), std::chrono::day(d)};
    if (!shaped || !date.ok() || y < 2000) {
        fail(src, f, "must be a date like 2026-09-01, got " + t);
    }
    return std::chrono::sys_days(date).time_since_epoch().count();
}

}  // namespace

void read_slo_review(Source& src, const Mapping& m, SloReview& review) {
    if (auto f = m.get("owner")) {
        review.owner = text(src, *f);
        if (!is_mention_id(review.owner)) {
            warn(
                src,
                *f,
                "is not a Slack user (U…) or user group (S…) id, so the review digest names it "
                "without a mention"
            );
        }
    }
    if (auto f = m.get("review_every")) {
        review.interval_days = static_cast<int>(days(src, *f));
        if (review.interval_days < 0 || review.interval_days > 730) {
            fail(src, *f, "must be from 0 (never due) to 730 days, like 90d");
        }
    }
    if (auto f = m.get("last_reviewed")) review.last_reviewed_days = date_days(src, *f);
    if (auto f = m.get("why")) {
        review.why = text(src, *f);
        if (review.why.size() > 500) fail(src, *f, "must be one short sentence (500 characters)");
    }
}

void read_slo_review_settings(Source& src, const Field& at, SloReviewSettings& settings) {
    const Mapping m(src, at, {"windows", "retention_days"});
    if (auto f = m.get("windows")) settings.windows = static_cast<int>(integer(src, *f, 1, 24));
    if (auto f = m.get("retention_days")) {
        settings.retention_days = static_cast<int>(integer(src, *f, 1, 3650));
    }
}

}  // namespace nra::config::detail
