// libFuzzer harness for the readers of New Relic's answers about a trace's incident context
// (src/newrelic/context_results.cpp) and the core rules on what they read (incident_context.hpp).
// Any input is read as log rows, as blast-radius buckets, as the users row and as the p99 row:
// each gives a value or a short one-line error, never an exception. Log lines ordered for a
// summary are at most kMaxLogLines, errors first, their messages clipped; buckets are as many as
// asked, never negative; the judged blast radius has a share in [0, 1] and a sentence.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "newrelic/context_results.hpp"
#include "nra/analysis/incident_context.hpp"

namespace nra::fuzz::context {

using nra::fuzz::check;

void check_logs(std::string_view input) {
    const auto lines = nra::newrelic::read_log_lines(input);
    if (!lines) {
        nra::fuzz::check_error_line(lines.error(), 300);
        return;
    }
    const auto ordered = nra::order_log_lines(*lines);
    check(ordered.size() <= nra::kMaxLogLines, "more log lines than a summary keeps");
    bool others = false;
    for (const auto& line : ordered) {
        check(line.message.size() <= nra::kMaxLogMessage + 3, "a log message was not clipped");
        const bool error = nra::log_severity(line.level) == nra::LogSeverity::error;
        check(!(error && others), "an error line after a line that is not an error or warning");
        others = others || nra::log_severity(line.level) == nra::LogSeverity::other;
    }
}

void check_blast(std::string_view input) {
    constexpr std::int64_t kFrom = 1'700'000'000'000;
    const auto buckets = nra::newrelic::read_blast_buckets(input, kFrom, 5, 12);
    if (!buckets) {
        nra::fuzz::check_error_line(buckets.error(), 300);
        return;
    }
    check(buckets->size() == 12, "not as many buckets as asked");
    for (const auto& b : *buckets) {
        check(b.total >= 0 && b.matching >= 0, "a negative count");
    }
    nra::BlastSeries series;
    series.until_ms = kFrom + 3'600'000;
    series.buckets = *buckets;
    series.previous_day = *buckets;
    nra::BlastSubject subject;
    subject.noun = "calls";
    const auto radius = nra::judge_blast_radius(subject, series);
    check(!radius.share || (*radius.share >= 0 && *radius.share <= 1), "a share outside [0, 1]");
    check(!nra::blast_sentence(radius, "`x`").empty(), "no sentence");
}

// Every check on one input; aborts (throws when replayed by a test) on a violation.
inline void one_input(std::string_view input) {
    check_logs(input);
    check_blast(input);
    const auto users = nra::newrelic::read_blast_users(input);
    if (users) check(users->users >= 0 && users->with_user >= 0, "negative users");
    const auto p99 = nra::newrelic::read_subject_p99(input);
    if (p99 && *p99) check(std::isfinite(**p99) && **p99 >= 0, "a p99 that is no duration");
}

}  // namespace nra::fuzz::context

#ifndef NRA_FUZZ_NO_MAIN
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::context::one_input(nra::fuzz::as_text(data, size));
    return 0;
}
#endif
