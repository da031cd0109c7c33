// SLO arithmetic against the SRE Workbook's worked examples and Sloth's burn-rate factors
// (reference: slo-jira.md §1.1).
#include "nra/report/slo_math.hpp"

#include <catch2/catch.hpp>
#include <cmath>

namespace slo_math_test {

using namespace nra;

TEST_CASE("99.9 % of 3,000,000 requests allows 3,000 errors", "[unit][slo]") {
    CHECK(*slo::budget_remaining(3'000'000, 3'000, 0.999) == Approx(0.0).margin(1e-9));
    CHECK(*slo::budget_remaining(3'000'000, 1'500, 0.999) == Approx(0.5));
    CHECK(*slo::budget_remaining(3'000'000, 0, 0.999) == Approx(1.0));
    // Overspent: twice the allowance leaves −100 %.
    CHECK(*slo::budget_remaining(3'000'000, 6'000, 0.999) == Approx(-1.0));
    CHECK(*slo::attainment(3'000'000, 3'000) == Approx(0.999));
}

TEST_CASE("burn rate 1 at a 0.1 % error rate against 99.9 %", "[unit][slo]") {
    CHECK(*slo::burn_rate(1'000'000, 1'000, 0.999) == Approx(1.0));
    // Table 5-4's error rates: 0.2 % → 2, 1 % → 10, 100 % → 1,000.
    CHECK(*slo::burn_rate(1'000, 2, 0.999) == Approx(2.0));
    CHECK(*slo::burn_rate(1'000, 10, 0.999) == Approx(10.0));
    CHECK(*slo::burn_rate(1'000, 1'000, 0.999) == Approx(1'000.0));
}

TEST_CASE("burn 14.4 spends 2 % of a 30-day budget in one hour", "[unit][slo]") {
    CHECK(slo::budget_consumed(14.4, 1, 720) == Approx(0.02));
    CHECK(slo::budget_consumed(6, 6, 720) == Approx(0.05));
    CHECK(slo::budget_consumed(1, 72, 720) == Approx(0.1));
}

TEST_CASE("burn-rate factors for X % of the budget in window W", "[unit][slo]") {
    CHECK(slo::burn_rate_for_budget(0.02, 720, 1) == Approx(14.4));
    CHECK(slo::burn_rate_for_budget(0.05, 720, 6) == Approx(6.0));
    CHECK(slo::burn_rate_for_budget(0.10, 720, 24) == Approx(3.0));
    CHECK(slo::burn_rate_for_budget(0.10, 720, 72) == Approx(1.0));
    CHECK(slo::burn_rate_for_budget(0.02, 672, 1) == Approx(13.44));  // 28-day SLO
    CHECK(slo::burn_rate_for_budget(0.05, 720, 1) == Approx(36.0));   // Workbook: 5 % in 1 h
    CHECK(slo::burn_rate_for_budget(0.02, 720, 0) == 0.0);
}

TEST_CASE("Table 5-4: time to exhaustion of a 30-day budget", "[unit][slo]") {
    CHECK(slo::hours_to_exhaustion(1, 720) == Approx(720.0));         // 30 days
    CHECK(slo::hours_to_exhaustion(2, 720) == Approx(360.0));         // 15 days
    CHECK(slo::hours_to_exhaustion(10, 720) == Approx(72.0));         // 3 days
    CHECK(slo::hours_to_exhaustion(1000, 720) * 60 == Approx(43.2));  // 43 minutes
    CHECK(std::isinf(slo::hours_to_exhaustion(0, 720)));
}

TEST_CASE("no events or an impossible target give no figures", "[unit][slo]") {
    CHECK_FALSE(slo::attainment(0, 0));
    CHECK_FALSE(slo::budget_remaining(0, 0, 0.999));
    CHECK_FALSE(slo::burn_rate(100, 1, 1.0));
    CHECK_FALSE(slo::burn_rate(100, 1, 0.0));
    // More bad than total (inconsistent counts) is clamped instead of going below 0 %.
    CHECK(*slo::attainment(100, 150) == Approx(0.0));
    CHECK(*slo::attainment(100, -5) == Approx(1.0));
}

TEST_CASE(
    "evaluate: attainment and budget over the window, burn over the recent hour", "[unit][slo]"
) {
    SloSpec spec;
    spec.name = "checkout-availability";
    spec.target = 0.999;
    spec.window_days = 28;
    SloCounts counts;
    counts.total = 2'000'000;
    counts.bad = 3'000;  // 0.15 % bad: 150 % of the budget
    counts.recent_total = 10'000;
    counts.recent_bad = 144;  // 1.44 %: burn 14.4
    const SloReport r = slo::evaluate(spec, counts);
    CHECK(r.name == "checkout-availability");
    CHECK(r.window_days == 28);
    CHECK(*r.attainment == Approx(0.9985));
    CHECK(*r.budget_remaining == Approx(-0.5));
    CHECK(*r.burn_rate == Approx(14.4));
    CHECK(r.problem.empty());

    counts.recent_total = 0;
    CHECK_FALSE(slo::evaluate(spec, counts).burn_rate);
    CHECK(slo::evaluate(spec, SloCounts{}).problem == "No requests in the SLO window.");
    spec.target = 1.5;
    const SloReport bad_target = slo::evaluate(spec, counts);
    CHECK_FALSE(bad_target.attainment);
    CHECK_FALSE(bad_target.problem.empty());
}

}  // namespace slo_math_test
