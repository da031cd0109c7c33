// The review keys of an SLO in nr-analyzer.yaml: owner, review_every, last_reviewed, why.
#include "improve_config_yaml_helpers.hpp"

namespace slo_review_yaml_test {

using namespace yaml_test;

namespace {

const std::string kSlo =
    "slos:\n  - name: checkout-availability\n    service: checkout\n"
    "    objective: availability\n    target: 99.9%\n";

}  // namespace

TEST_CASE("SLO review keys: defaults without them") {
    const auto c = parse_ok(kSlo);
    REQUIRE(c.slos.size() == 1);
    const auto& r = c.slos[0].review;
    CHECK(r.owner.empty());
    CHECK(r.interval_days == 90);
    CHECK_FALSE(r.last_reviewed_days);
    CHECK(r.why.empty());
}

TEST_CASE("SLO review keys: every key is read") {
    const auto c = parse_ok(
        kSlo +
        "    owner: S0123ABCD\n    review_every: 30d\n    last_reviewed: 2026-09-01\n"
        "    why: Checkout failures lose the sale at once.\n"
    );
    const auto& r = c.slos[0].review;
    CHECK(r.owner == "S0123ABCD");
    CHECK(r.interval_days == 30);
    REQUIRE(r.last_reviewed_days);
    CHECK(*r.last_reviewed_days == 20'697);  // 2026-09-01 is day 20,697 since 1970-01-01
    CHECK(r.why == "Checkout failures lose the sale at once.");
}

TEST_CASE("SLO review keys: bad dates and intervals are errors with the line") {
    CHECK(
        error_of(kSlo + "    last_reviewed: 2026-02-30\n") ==
        "t.yaml:6: slos[0].last_reviewed: must be a date like 2026-09-01, got 2026-02-30"
    );
    CHECK(
        error_of(kSlo + "    last_reviewed: 1st of May\n").find("must be a date") !=
        std::string::npos
    );
    CHECK(
        error_of(kSlo + "    last_reviewed: 2026-9-1\n").find("must be a date") != std::string::npos
    );
    CHECK(
        error_of(kSlo + "    review_every: 1000d\n").find("0 (never due) to 730 days") !=
        std::string::npos
    );
}

TEST_CASE("SLO review keys: an owner that cannot be mentioned is a warning") {
    auto r = parse(kSlo + "    owner: \"@alice\"\n");
    REQUIRE(r.ok());
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].find("without a mention") != std::string::npos);
    CHECK(r->config.slos[0].review.owner == "@alice");
    CHECK(parse_ok(kSlo + "    owner: U0123ABCD\n").slos[0].review.owner == "U0123ABCD");
}

TEST_CASE("the slo_review section and slo_review schedules") {
    const auto defaults = parse_ok(kSlo);
    CHECK(defaults.slo_review.windows == 6);
    CHECK(defaults.slo_review.retention_days == 8);
    const auto c = parse_ok(
        kSlo +
        "slo_review:\n  windows: 4\n  retention_days: 98\n"
        "schedules:\n  - service: all\n    channel: C0123456789\n    every: monday\n"
        "    at: \"09:00\"\n    report: slo_review\n"
    );
    CHECK(c.slo_review.windows == 4);
    CHECK(c.slo_review.retention_days == 98);
    REQUIRE(c.schedules.size() == 1);
    CHECK(c.schedules[0].report == ScheduleReport::slo_review);
    CHECK(
        error_of(kSlo + "slo_review:\n  windows: 0\n").find("slo_review.windows") !=
        std::string::npos
    );
    auto typo = parse(kSlo + "slo_review:\n  retention: 8\n");  // unknown keys warn
    REQUIRE(typo.ok());
    REQUIRE(typo->warnings.size() == 1);
    CHECK(typo->warnings[0].find("unknown key \"retention\"") != std::string::npos);
    CHECK(
        error_of(
            kSlo + "schedules:\n  - service: all\n    channel: C0123456789\n    every: day\n"
                   "    at: \"09:00\"\n    report: weekly\n"
        )
            .find("improve, slo_review") != std::string::npos
    );
}

}  // namespace slo_review_yaml_test
