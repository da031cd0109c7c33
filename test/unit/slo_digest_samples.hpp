// Hand-built SLO review digests for the renderer tests: one SLO per suggestion, one without data,
// one that could not be computed, and an overdue one with an owner and a recorded decision.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "nra/report/slo_digest.hpp"

namespace nra::test {

inline constexpr std::int64_t kDigestDayMs = 86'400'000;

// Days since 1970-01-01 of a date.
inline std::int64_t digest_days(int y, unsigned m, unsigned d) {
    using namespace std::chrono;
    return sys_days(year_month_day(year(y), month(m), day(d))).time_since_epoch().count();
}

// The digest is generated on 2026-11-23; window i of n ends (n − 1 − i) windows before that.
inline std::int64_t digest_today() {
    return digest_days(2026, 11, 23);
}

inline std::vector<slo::WindowCounts> digest_history(
    int window_days, std::int64_t total, const std::vector<std::int64_t>& bad
) {
    std::vector<slo::WindowCounts> out;
    const auto n = static_cast<std::int64_t>(bad.size());
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t until = (digest_today() - (n - 1 - i) * window_days) * kDigestDayMs;
        out.push_back(
            {until - window_days * kDigestDayMs, until, total, bad[static_cast<std::size_t>(i)]}
        );
    }
    return out;
}

inline slo::DigestEntry digest_entry(
    std::string name, double target, std::vector<slo::WindowCounts> history
) {
    slo::DigestEntry e;
    e.spec.name = std::move(name);
    e.spec.service = "checkout";
    e.spec.target = target;
    e.history = std::move(history);
    e.advice = slo::advise(e.spec, e.history);
    e.summary = slo::plain_summary(e.spec, "Checkout", e.history.back());
    return e;
}

// checkout-availability: 4 windows at 99.99 % against 99.9 % → tighten to 99.95 %; reviewed
// on 2026-10-24, so the next review is 90 days later: 2027-01-22.
inline slo::DigestEntry tighten_entry() {
    auto e = digest_entry(
        "checkout-availability", 0.999, digest_history(30, 1'000'000, {100, 100, 100, 100})
    );
    e.spec.review.owner = "U024BE7LH";
    e.spec.review.last_reviewed_days = digest_today() - 30;
    e.spenders = {{"GET /cart", 60, 0.6}, {"POST /pay", 40, 0.4}};
    return e;
}

// search-latency: 98 % within 500 ms against 99 % in every window → loosen to 98 %, 4 release
// stops.
inline slo::DigestEntry loosen_entry() {
    slo::DigestEntry e;
    e.spec.name = "search-latency";
    e.spec.service = "search";
    e.spec.endpoint = "GET /search*";
    e.spec.kind = SloKind::latency;
    e.spec.latency_ms = 500;
    e.spec.target = 0.99;
    e.history = digest_history(30, 1'000'000, {20'000, 20'000, 20'000, 20'000});
    e.advice = slo::advise(e.spec, e.history);
    e.summary = slo::plain_summary(e.spec, "Search", e.history.back());
    e.spenders = {{"GET /search/full", 15'000, 0.75}};
    return e;
}

// payments-availability: half the budget spent each window → keep; owned by a user group.
inline slo::DigestEntry keep_entry() {
    auto e = digest_entry(
        "payments-availability", 0.999, digest_history(30, 1'000'000, {500, 500, 500})
    );
    e.spec.review.owner = "S0123ABCD";
    e.spec.review.interval_days = 0;  // never due
    return e;
}

// inventory-availability: no events at all, never reviewed → due today.
inline slo::DigestEntry no_data_entry() {
    auto e = digest_entry("inventory-availability", 0.999, digest_history(30, 0, {0, 0}));
    e.overdue_days = 0;
    return e;
}

inline slo::DigestEntry problem_entry() {
    slo::DigestEntry e;
    e.spec.name = "checkout-latency";
    e.spec.service = "checkout";
    e.spec.kind = SloKind::latency;
    e.spec.latency_ms = 300;
    e.problem = "checkout-latency could not be computed: New Relic did not answer in time";
    return e;
}

// billing-availability: 12 days overdue, owner and why set, kept on 2026-08-01.
inline slo::DigestEntry overdue_entry() {
    auto e = digest_entry("billing-availability", 0.995, digest_history(30, 10'000, {20}));
    e.spec.review.owner = "U0BILLING1";
    e.spec.review.why = "Invoices must go out the same day.";
    e.spec.review.last_reviewed_days = digest_days(2026, 8, 1);
    e.history_note = "New Relic keeps 8 days of events: only the current 30-day window";
    e.overdue_days = 12;
    e.last_decision = slo::ReviewDecision{
        "billing-availability", "keep", "U0ALICE42", digest_days(2026, 8, 1) * 86'400};
    return e;
}

inline slo::Digest single_digest(slo::DigestEntry entry, std::string scope = "checkout") {
    slo::Digest d;
    d.scope = std::move(scope);
    d.slos = {std::move(entry)};
    return d;
}

inline slo::Digest sample_digest() {
    slo::Digest d;
    d.scope = "checkout";
    d.generated_ms = digest_today() * kDigestDayMs + 9 * 3'600'000;
    d.slos = {
        tighten_entry(),
        loosen_entry(),
        keep_entry(),
        no_data_entry(),
        problem_entry(),
        overdue_entry()};
    return d;
}

}  // namespace nra::test
