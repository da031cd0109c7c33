// SLO review rules (keep/tighten/loosen) on constructed histories, plain-language summaries and
// due-review detection (reference: slo-jira.md §1.1, §1.4, §1.5).
#include "nra/report/slo_review.hpp"

#include <catch2/catch.hpp>

namespace slo_review_test {

using namespace nra;
using Catch::Matchers::Contains;
using slo::Suggestion;
using slo::WindowCounts;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

SloSpec make_spec(double target, int window_days = 30) {
    SloSpec spec;
    spec.name = "checkout-availability";
    spec.service = "checkout";
    spec.target = target;
    spec.window_days = window_days;
    return spec;
}

// Window `index` of a 30-day history starting at day 0.
WindowCounts window(int index, std::int64_t total, std::int64_t bad) {
    const std::int64_t since = static_cast<std::int64_t>(index) * 30 * kDayMs;
    return {since, since + 30 * kDayMs, total, bad};
}

std::vector<WindowCounts> history(std::int64_t total, const std::vector<std::int64_t>& bad) {
    std::vector<WindowCounts> out;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        out.push_back(window(static_cast<int>(i), total, bad[i]));
    }
    return out;
}

}  // namespace

TEST_CASE("suggestions have stable machine names", "[unit][slo_review]") {
    CHECK(slo::to_string(Suggestion::keep) == "keep");
    CHECK(slo::to_string(Suggestion::tighten) == "tighten");
    CHECK(slo::to_string(Suggestion::loosen) == "loosen");
    CHECK(slo::to_string(Suggestion::no_data) == "no_data");
}

TEST_CASE(
    "windows without data are skipped and too few windows say no_data", "[unit][slo_review]"
) {
    const auto spec = make_spec(0.999);
    const std::vector<WindowCounts> h{
        window(0, 0, 0), window(1, 1'000'000, 5'000), window(2, 0, 0)};
    const auto advice = slo::advise(spec, h);
    CHECK(advice.suggestion == Suggestion::no_data);
    CHECK(advice.windows_with_data == 1);
    CHECK_FALSE(advice.proposed_target);
    CHECK_THAT(advice.because, Contains("Only 1 window with data (2 needed"));
    // The one window with data still counts as a release stop.
    CHECK(advice.release_stops == 1);

    const auto none = slo::advise(spec, {});
    CHECK(none.suggestion == Suggestion::no_data);
    CHECK_THAT(none.because, Contains("Only 0 windows"));
    CHECK_FALSE(none.best_attainment);
}

TEST_CASE("an invalid target gives no_data instead of a suggestion", "[unit][slo_review]") {
    const auto advice = slo::advise(make_spec(1.0), history(1'000, {0, 0, 0}));
    CHECK(advice.suggestion == Suggestion::no_data);
    CHECK_THAT(advice.because, Contains("between 0 and 100 %"));
}

TEST_CASE("a 99.999 % error SLO far above anything achieved is loosened", "[unit][slo_review]") {
    // 0.1 % and 0.15 % errors: burn 100× and 150× a 99.999 % budget.
    auto spec = make_spec(0.99999);
    spec.review.last_reviewed_days = 1'000;  // reviewed recently: only the unreachable rule applies
    const auto advice = slo::advise(spec, history(1'000'000, {1'000, 1'500, 1'000}));
    REQUIRE(advice.suggestion == Suggestion::loosen);
    REQUIRE(advice.proposed_target);
    CHECK(*advice.proposed_target == Approx(0.998));  // worst 99.85 % rounded down to a step
    CHECK(*advice.proposed_target < spec.target);
    CHECK(advice.release_stops == 3);
    CHECK(advice.windows_met == 0);
    CHECK(*advice.best_attainment == Approx(0.999));
    CHECK(*advice.worst_attainment == Approx(0.9985));
    CHECK_THAT(advice.because, Contains("99.999 %"));
    CHECK_THAT(advice.because, Contains("(it spent 100.0× its error budget)"));
    CHECK_THAT(advice.because, Contains("releases would have stopped in 3 of 3 windows"));
    CHECK_THAT(advice.rule, Contains("Implementing SLOs"));
}

TEST_CASE(
    "the unreachable rule needs the best window above far_above, not at it", "[unit][slo_review]"
) {
    auto spec = make_spec(0.999);
    spec.review.last_reviewed_days = 1'000;  // keeps the missed rule out of the way
    // Best window burns exactly 3× its budget: a tie is not "far above".
    CHECK(slo::advise(spec, history(1'000'000, {3'000, 4'000})).suggestion == Suggestion::keep);
    CHECK(slo::advise(spec, history(1'000'000, {3'001, 4'000})).suggestion == Suggestion::loosen);
}

TEST_CASE("missed windows nobody acted on are loosened", "[unit][slo_review]") {
    const auto spec = make_spec(0.999);  // never reviewed
    const auto advice = slo::advise(spec, history(1'000'000, {500, 1'500, 2'200}));
    REQUIRE(advice.suggestion == Suggestion::loosen);
    REQUIRE(advice.proposed_target);
    CHECK(*advice.proposed_target == Approx(0.995));  // worst missed 99.78 % → 99.5 %
    CHECK(advice.release_stops == 2);
    CHECK(advice.windows_met == 1);
    CHECK_THAT(advice.because, Contains("The last 2 windows all missed 99.9 %"));
    CHECK_THAT(advice.because, Contains("99.78–99.85 %"));
    CHECK_THAT(advice.rule, Contains("Error Budget Policy"));
}

TEST_CASE(
    "missed windows reviewed meanwhile are kept, an older review does not count",
    "[unit][slo_review]"
) {
    auto spec = make_spec(0.999);
    const auto h = history(1'000'000, {500, 1'500, 2'200});
    spec.review.last_reviewed_days = 30;  // the first missed window starts on day 30
    const auto kept = slo::advise(spec, h);
    CHECK(kept.suggestion == Suggestion::keep);
    CHECK(kept.release_stops == 2);
    CHECK_THAT(kept.because, Contains("met in 1 of 3 windows"));
    spec.review.last_reviewed_days = 29;
    CHECK(slo::advise(spec, h).suggestion == Suggestion::loosen);
}

TEST_CASE("a window that spent exactly its budget is met", "[unit][slo_review]") {
    const auto spec = make_spec(0.999);
    const auto advice = slo::advise(spec, history(1'000'000, {1'000, 1'000}));
    CHECK(advice.suggestion == Suggestion::keep);
    CHECK(advice.release_stops == 0);
    CHECK(advice.windows_met == 2);
    CHECK_THAT(advice.because, Contains("budget spent per window: 100 %."));
    // One error more per window: both missed, never reviewed → loosen.
    CHECK(slo::advise(spec, history(1'000'000, {1'001, 1'001})).suggestion == Suggestion::loosen);
}

TEST_CASE("only the last window missed is kept", "[unit][slo_review]") {
    const auto advice = slo::advise(make_spec(0.999), history(1'000'000, {500, 2'000}));
    CHECK(advice.suggestion == Suggestion::keep);
    CHECK(advice.release_stops == 1);
    CHECK_THAT(advice.because, Contains("99.9 % was met in 1 of 2 windows"));
    CHECK_THAT(advice.because, Contains("budget spent per window: 50–200 %."));
}

TEST_CASE("met with a wide margin in recent windows is tightened one step", "[unit][slo_review]") {
    // An empty window in between is skipped, not a break in the run.
    std::vector<WindowCounts> h = history(1'000'000, {5'000, 100, 0, 200});
    h.insert(h.begin() + 2, window(9, 0, 0));
    const auto advice = slo::advise(make_spec(0.999), h);
    REQUIRE(advice.suggestion == Suggestion::tighten);
    REQUIRE(advice.proposed_target);
    CHECK(*advice.proposed_target == Approx(0.9995));
    CHECK(advice.windows_with_data == 4);
    CHECK(advice.release_stops == 1);  // the old window stays counted
    CHECK_THAT(advice.because, Contains("The last 3 windows spent only 0–20 %"));
    CHECK_THAT(advice.because, Contains("99.95 %"));
    CHECK_THAT(advice.rule, Contains("expect"));
}

TEST_CASE("tighten needs more than the wide margin, not a tie", "[unit][slo_review]") {
    const auto spec = make_spec(0.999);
    // 250 errors of 1,000,000 at 99.9 % leave exactly 75 % of the budget.
    CHECK(slo::advise(spec, history(1'000'000, {250, 250, 250})).suggestion == Suggestion::keep);
    CHECK(slo::advise(spec, history(1'000'000, {249, 249, 249})).suggestion == Suggestion::tighten);
    // Two wide windows are fewer than tighten_windows (3).
    CHECK(slo::advise(spec, history(1'000'000, {100, 100})).suggestion == Suggestion::keep);
}

TEST_CASE("tighten only to a step every recent window met", "[unit][slo_review]") {
    slo::ReviewOptions options;
    options.wide_margin = 0.1;
    // 99.92 %: 20 % of the budget spent, wide under this margin, but short of 99.95 %.
    const auto short_of =
        slo::advise(make_spec(0.999), history(1'000'000, {800, 800, 800}), options);
    CHECK(short_of.suggestion == Suggestion::keep);
    CHECK_FALSE(short_of.proposed_target);
    const auto met = slo::advise(make_spec(0.999), history(1'000'000, {500, 400, 300}), options);
    CHECK(met.suggestion == Suggestion::tighten);
    CHECK(*met.proposed_target == Approx(0.9995));
}

TEST_CASE("tighten never proposes 100 %", "[unit][slo_review]") {
    const auto perfect = history(1'000'000, {0, 0, 0});
    const auto near_top = slo::advise(make_spec(0.9999), perfect);
    REQUIRE(near_top.suggestion == Suggestion::tighten);
    CHECK(*near_top.proposed_target == Approx(0.99995));
    CHECK(*near_top.proposed_target < 1.0);
    const auto top = slo::advise(make_spec(0.99999), perfect);
    CHECK(top.suggestion == Suggestion::keep);
    CHECK_FALSE(top.proposed_target);
    // A target off the ladder moves to the next step: 99.7 % → 99.8 %.
    CHECK(*slo::advise(make_spec(0.997), perfect).proposed_target == Approx(0.998));
}

TEST_CASE("plain summary of an availability SLO", "[unit][slo_review]") {
    const auto text = slo::plain_summary(make_spec(0.999), "Checkout", window(0, 1'000'000, 700));
    CHECK(
        text ==
        "Checkout answered 99.93 % of requests without an error this month; the promise is "
        "99.9 %; 30 % of the month's error budget is left."
    );
}

TEST_CASE("plain summary of a weekly latency SLO", "[unit][slo_review]") {
    auto spec = make_spec(0.95, 7);
    spec.kind = SloKind::latency;
    spec.latency_ms = 500;
    CHECK(
        slo::plain_summary(spec, "Search", window(0, 1'000, 29)) ==
        "Search answered 97.1 % of requests within 500 ms this week; the promise is 95 %; 42 % of "
        "the week's error budget is left."
    );
}

TEST_CASE("plain summary when the budget is overspent or exactly spent", "[unit][slo_review]") {
    const auto spec = make_spec(0.999);
    CHECK(
        slo::plain_summary(spec, "Checkout", window(0, 1'000'000, 1'300)) ==
        "Checkout answered 99.87 % of requests without an error this month; the promise is "
        "99.9 %; the month's error budget is used up (130 % spent)."
    );
    CHECK_THAT(
        slo::plain_summary(spec, "Checkout", window(0, 1'000'000, 1'000)),
        Contains(
            "answered 99.9 % of requests without an error this month; the promise is 99.9 %; the "
            "month's error budget is used up (100 % spent)."
        )
    );
}

TEST_CASE("plain summary without data and for other windows", "[unit][slo_review]") {
    CHECK(
        slo::plain_summary(make_spec(0.999), "Checkout", window(0, 0, 0)) ==
        "Checkout had no requests to measure this month."
    );
    const auto four_weeks = slo::plain_summary(make_spec(0.99, 28), "Cart", window(0, 10'000, 50));
    CHECK_THAT(four_weeks, Contains("answered 99.5 % of requests without an error these 4 weeks;"));
    CHECK_THAT(four_weeks, Contains("50 % of these 4 weeks' error budget is left."));
    CHECK_THAT(
        slo::plain_summary(make_spec(0.99, 14), "Cart", window(0, 0, 0)),
        Contains("these two weeks")
    );
    CHECK_THAT(slo::plain_summary(make_spec(0.99, 1), "Cart", window(0, 0, 0)), Contains("today"));
}

TEST_CASE("plain summary percentages tell attainment and target apart", "[unit][slo_review]") {
    const auto spec = make_spec(0.999);
    // 99.905 % differs from 99.9 %: a third decimal is shown.
    CHECK_THAT(
        slo::plain_summary(spec, "A", window(0, 1'000'000, 950)), Contains("answered 99.905 %")
    );
    // One error in ten million is not "100 %"; none is.
    CHECK_THAT(
        slo::plain_summary(spec, "A", window(0, 10'000'000, 1)), Contains("answered 99.99 %")
    );
    CHECK_THAT(slo::plain_summary(spec, "A", window(0, 10'000'000, 0)), Contains("answered 100 %"));
    CHECK_THAT(
        slo::plain_summary(spec, "A", window(0, 10'000'000, 0)), Contains("100 % of the month's")
    );
    // A tiny rest of budget is not rounded to "0 % left".
    CHECK_THAT(
        slo::plain_summary(spec, "A", window(0, 10'000'000, 9'999)),
        Contains("under 0.1 % of the month's")
    );
}

TEST_CASE("review due dates", "[unit][slo_review]") {
    auto spec = make_spec(0.999);
    spec.review.interval_days = 90;
    CHECK(slo::review_overdue_days(spec, 20'000) == std::optional<int>(0));  // never reviewed
    spec.review.last_reviewed_days = 100;
    CHECK_FALSE(slo::review_overdue_days(spec, 189));
    CHECK(slo::review_overdue_days(spec, 190) == std::optional<int>(0));
    CHECK(slo::review_overdue_days(spec, 200) == std::optional<int>(10));
    spec.review.interval_days = 0;
    CHECK_FALSE(slo::review_overdue_days(spec, 20'000));
    spec.review.last_reviewed_days.reset();
    CHECK_FALSE(slo::review_overdue_days(spec, 20'000));
}

TEST_CASE(
    "loosen below the ladder proposes whole percents, nothing below 1 %", "[unit][slo_review]"
) {
    // 42.7 % and 45 % good against 90 %: proposed 42 %.
    const auto low = slo::advise(make_spec(0.9), history(1'000, {573, 550}));
    REQUIRE(low.suggestion == Suggestion::loosen);
    CHECK(*low.proposed_target == Approx(0.42));
    // Nothing good at all: a loosen without a number to propose.
    const auto none = slo::advise(make_spec(0.9), history(1'000, {1'000, 1'000}));
    CHECK(none.suggestion == Suggestion::loosen);
    CHECK_FALSE(none.proposed_target);
}

}  // namespace slo_review_test
