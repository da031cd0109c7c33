// nr-analyzer.yaml: the documented example, every rule, and errors that name file, line and field.
#include "improve_config_yaml_helpers.hpp"

namespace improve_config_yaml_test {

using namespace yaml_test;  // NOLINT(google-build-using-namespace): test helpers
TEST_CASE("the documented example parses without warnings") {
    auto r = load_improve_config(kExample.string());
    REQUIRE(r.ok());
    CHECK(r->warnings.empty());
    CHECK(r->source == kExample.string());
    const auto& c = r->config;
    CHECK(c.window_days == 7);
    CHECK(c.hysteresis == Approx(0.9));
    CHECK(c.defaults.error_rate == Approx(0.01));
    CHECK(c.defaults.apdex_min == Approx(0.85));

    REQUIRE(c.overrides.size() == 3);
    CHECK(c.overrides[1].endpoint == "GET /health*");
    CHECK(c.overrides[1].min_throughput_rpm == Approx(1e6));
    CHECK_FALSE(c.overrides[1].p95_ms.has_value());
    CHECK(c.overrides[0].apdex_t_ms == Approx(300));

    REQUIRE(c.slos.size() == 3);
    CHECK(c.slos[0].name == "checkout-availability");
    CHECK(c.slos[0].kind == SloKind::availability);
    CHECK(c.slos[0].target == Approx(0.999));
    CHECK(c.slos[0].window_days == 30);
    CHECK(c.slos[1].kind == SloKind::latency);
    CHECK(c.slos[1].latency_ms == Approx(500));
    CHECK(c.slos[1].target == Approx(0.95));
    CHECK(c.slos[1].window_days == 28);
    CHECK(c.slos[1].endpoint == "*");

    REQUIRE(c.schedules.size() == 3);
    CHECK(c.schedules[0].service == "checkout");
    CHECK(c.schedules[0].channel == "C0123456789");
    CHECK(c.schedules[0].cadence == Cadence::weekly);
    CHECK(c.schedules[0].weekday == 1);
    CHECK(c.schedules[0].hour == 9);
    CHECK(c.schedules[0].minute == 0);
    CHECK(c.schedules[0].time_zone == "Europe/Berlin");
    CHECK(c.schedules[1].service == "all");
    CHECK(c.schedules[1].cadence == Cadence::daily);
    CHECK(c.schedules[1].hour == 8);
    CHECK(c.schedules[1].minute == 30);
    CHECK(c.schedules[1].report == ScheduleReport::improve);
    CHECK(c.schedules[2].report == ScheduleReport::slo_review);
    CHECK(c.slo_review.windows == 6);
    CHECK(c.slo_review.retention_days == 8);

    CHECK_FALSE(c.jira.auto_create);
    CHECK(c.jira.persist_runs == 2);
    CHECK(c.jira.project == "OPS");
    CHECK(c.jira.labels == std::vector<std::string>{"nr-analyzer", "performance"});
    CHECK(
        c.repositories.at("*") == "https://github.com/acme/{service}/blob/main/{filepath}#L{lineno}"
    );
}

TEST_CASE("the example's sample error message is the one a target of 100 gives") {
    auto text = read_file(kExample);
    const auto sample = text.find("#   nr-analyzer.yaml:");
    REQUIRE(sample != std::string::npos);
    const auto documented = text.substr(sample + 4, text.find('\n', sample) - sample - 4);
    const auto target = text.find("target: 99.9%");
    REQUIRE(target != std::string::npos);
    text.replace(target, 13, "target: 100");
    auto r = parse_improve_config(text, "nr-analyzer.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == documented);
}

TEST_CASE("an empty file, only comments or a bare --- give the defaults") {
    for (std::string_view yaml : {"", "# nothing yet\n", "---\n", "\n\n"}) {
        const auto c = parse_ok(yaml);
        CHECK(c.defaults.p95_ms == 1000);
        CHECK(c.slos.empty());
        CHECK(c.jira.labels == std::vector<std::string>{"nr-analyzer"});
    }
    auto r = parse("thresholds:\nslos:\n");  // empty sections are empty, not errors
    REQUIRE(r.ok());
    CHECK(r->source == "t.yaml");
}

TEST_CASE("percentages: 99.9%, a fraction, or a bare number above 1") {
    auto target = [](const std::string& value) {
        const auto c = parse_ok(
            "slos:\n  - {name: a, service: s, objective: availability, target: " + value + "}\n"
        );
        return c.slos.at(0).target;
    };
    CHECK(target("99.9%") == Approx(0.999));
    CHECK(target("\"99.9 %\"") == Approx(0.999));
    CHECK(target("0.999") == Approx(0.999));
    CHECK(target("99.9") == Approx(0.999));
    CHECK(target("50") == Approx(0.5));
    CHECK(target("0.5") == Approx(0.5));
    CHECK(parse_ok("thresholds: {error_rate: 1%}").defaults.error_rate == Approx(0.01));
    CHECK(parse_ok("thresholds: {error_rate: 0.02}").defaults.error_rate == Approx(0.02));
    CHECK(parse_ok("thresholds: {error_rate: 5}").defaults.error_rate == Approx(0.05));
    CHECK(parse_ok("report: {hysteresis: 100%}").hysteresis == Approx(1.0));
}

TEST_CASE("impossible targets name file, line and field") {
    const std::string head =
        "# SLOs\nslos:\n  - name: a\n    service: s\n    objective: availability\n";
    CHECK(
        error_of(head + "    target: 100\n") ==
        "t.yaml:6: slos[0].target: must be between 0 and 100 % (exclusive), got 100"
    );
    CHECK(error_of(head + "    target: 100%\n").find("t.yaml:6: slos[0].target:") == 0);
    CHECK(error_of(head + "    target: 0\n").find("t.yaml:6: slos[0].target:") == 0);
    CHECK(error_of(head + "    target: -5%\n").find("got -5%") != std::string::npos);
    CHECK(error_of(head + "    target: 1\n").find("write 1% for one percent") != std::string::npos);
    CHECK(
        error_of(head + "    target: high\n").find("a percentage like 99.9%") != std::string::npos
    );
    CHECK(error_of(head + "    target: .nan\n").find("t.yaml:6: slos[0].target:") == 0);
    CHECK(
        error_of("thresholds:\n  error_rate: 100%\n").find("t.yaml:2: thresholds.error_rate:") == 0
    );
    CHECK(error_of("report: {hysteresis: 0}").find("t.yaml:1: report.hysteresis:") == 0);
}

TEST_CASE("SLO rules: objective, threshold, window, name") {
    const std::string a = "slos:\n  - name: a\n    service: s\n";
    CHECK(
        error_of(a + "    objective: latency\n    target: 95%\n") ==
        "t.yaml:2: slos[0]: a latency SLO needs \"threshold_ms\" (good requests take at most this)"
    );
    CHECK(
        error_of(a + "    objective: availability\n    target: 95%\n    threshold_ms: 300\n")
            .find("t.yaml:6: slos[0].threshold_ms: only latency SLOs") == 0
    );
    CHECK(
        error_of(a + "    objective: latency\n    target: 95%\n    threshold_ms: 0\n")
            .find("t.yaml:6: slos[0].threshold_ms: must be greater than 0") == 0
    );
    CHECK(
        error_of(a + "    objective: availabilty\n    target: 95%\n")
            .find("(did you mean \"availability\"?)") != std::string::npos
    );
    CHECK(error_of(a + "    target: 95%\n") == "t.yaml:2: slos[0]: needs \"objective\"");
    CHECK(error_of("slos:\n  - {service: s}\n") == "t.yaml:2: slos[0]: needs \"name\"");

    auto window = [&](const std::string& w) {
        return "slos:\n  - {name: a, service: s, objective: availability, target: 99%, window: " +
               w + "}\n";
    };
    for (const char* ok : {"1", "7d", "14", "28d", "30", "30D"}) {
        CHECK(parse(window(ok)).ok());
    }
    CHECK(parse_ok(window("7d")).slos[0].window_days == 7);
    CHECK(
        parse_ok("slos: [{name: a, service: s, objective: availability, target: 99%}]")
            .slos[0]
            .window_days == 30
    );
    CHECK(
        error_of(window("31d")) ==
        "t.yaml:2: slos[0].window: must be 1, 7, 14, 28 or 30 days (New Relic's SLO windows), got "
        "31d"
    );
    CHECK(error_of(window("2w")).find("a number of days like 30d") != std::string::npos);

    const std::string two =
        "slos:\n  - {name: a, service: s, objective: availability, target: 99%}\n"
        "  - {name: a, service: t, objective: availability, target: 99%}\n";
    CHECK(error_of(two) == "t.yaml:3: slos[1].name: \"a\" is already the name of slos[0]");
    CHECK(
        error_of("slos: [{name: Checkout SLO, service: s, objective: availability, target: 99%}]")
            .find("slos[0].name: must be lower-case") != std::string::npos
    );
    CHECK(
        error_of("slos: [{name: a, service: \"check*\", objective: availability, target: 99%}]")
            .find("slos[0].service: must be an exact service name") != std::string::npos
    );
}

TEST_CASE("schedules: day or weekday, 24-hour time, channel IDs") {
    const auto c = parse_ok(
        "schedules:\n"
        "  - {service: all, channel: G01ABCDEFGH, every: Sunday, at: \"7:05\"}\n"
        "  - {service: x, channel: C0123456789, every: saturday, at: \"23:59\"}\n"
    );
    CHECK(c.schedules[0].weekday == 0);
    CHECK(c.schedules[0].hour == 7);
    CHECK(c.schedules[0].minute == 5);
    CHECK(c.schedules[0].time_zone == "UTC");
    CHECK(c.schedules[1].weekday == 6);
    CHECK(c.schedules[1].cadence == Cadence::weekly);

    const std::string first =
        "schedules:\n  - {service: a, channel: C0123456789, every: day, at: \"09:00\"}\n";
    CHECK(
        error_of(first + "  - {service: b, channel: \"#ops\", every: day, at: \"09:00\"}\n") ==
        "t.yaml:3: schedules[1].channel: a channel ID like C0123456789, not a name (got #ops)"
    );
    CHECK(
        error_of(first + "  - {service: b, channel: C123, every: day, at: \"09:00\"}\n")
            .find("schedules[1].channel") != std::string::npos
    );
    for (const char* bad :
         {"\"24:00\"", "\"9:5\"", "noon", "\"09:60\"", "\"-1:00\"", "\"09:00:00\""}) {
        const auto e = error_of(
            first + "  - {service: b, channel: C0123456789, every: day, at: " + bad + "}\n"
        );
        CHECK(e.find("t.yaml:3: schedules[1].at: must be a 24-hour time") == 0);
    }
    CHECK(
        error_of("schedules:\n  - {service: b, channel: C0123456789, every: mondays, at: \"09:00\"}"
        )
            .find("(did you mean \"monday\"?)") != std::string::npos
    );
    CHECK(
        error_of("schedules:\n  - {service: b, channel: C0123456789, at: \"09:00\"}") ==
        "t.yaml:2: schedules[0]: needs \"every\""
    );
}

TEST_CASE("time zones must be installed and are never a path") {
    CHECK(time_zone_exists("Europe/Berlin"));
    CHECK(time_zone_exists("UTC"));
    CHECK(time_zone_exists("America/New_York"));
    CHECK_FALSE(time_zone_exists("Mars/Olympus_Mons"));
    CHECK_FALSE(time_zone_exists("Europe"));  // a directory
    CHECK_FALSE(time_zone_exists("../../../etc/passwd"));
    CHECK_FALSE(time_zone_exists("Europe/../Europe/Berlin"));
    CHECK_FALSE(time_zone_exists("/usr/share/zoneinfo/UTC"));
    CHECK_FALSE(time_zone_exists(""));
    CHECK_FALSE(time_zone_exists("Europe/Berlin\n"));
    const std::string s =
        "schedules:\n  - service: a\n    channel: C0123456789\n    every: day\n    at: \"09:00\"\n";
    CHECK(
        error_of(s + "    time_zone: Europe/Berln\n") ==
        "t.yaml:6: schedules[0].time_zone: must be a time zone name like Europe/Berlin or UTC, got "
        "Europe/Berln"
    );
    CHECK(
        error_of(s + "    time_zone: ../../etc/passwd\n").find("schedules[0].time_zone") !=
        std::string::npos
    );
}

TEST_CASE("unknown keys are warnings with a suggestion, then ignored") {
    auto r = parse(
        "report:\n  top_endpoints: 5\ntresholds:\n  p95_ms: 1\nthresholds:\n  p59_ms: 200\n  "
        "colour: red\n"
    );
    REQUIRE(r.ok());
    REQUIRE(r->warnings.size() == 3);
    CHECK(
        r->warnings[0] ==
        "t.yaml:3: unknown key \"tresholds\" ignored (did you mean \"thresholds\"?)"
    );
    CHECK(
        r->warnings[1] ==
        "t.yaml:6: thresholds: unknown key \"p59_ms\" ignored (did you mean \"p95_ms\"?)"
    );
    CHECK(r->warnings[2] == "t.yaml:7: thresholds: unknown key \"colour\" ignored");
    CHECK(r->config.defaults.p95_ms == 1000);  // neither typo took effect
    CHECK(r->config.top_endpoints == 5);

    auto upper = parse(
        "Thresholds: {}\nslos: [{name: a, service: s, objective: availability, target: 99%, windw: "
        "7d}]"
    );
    REQUIRE(upper.ok());
    REQUIRE(upper->warnings.size() == 2);
    CHECK(upper->warnings[0].find("(did you mean \"thresholds\"?)") != std::string::npos);
    CHECK(
        upper->warnings[1] ==
        "t.yaml:2: slos[0]: unknown key \"windw\" ignored (did you mean \"window\"?)"
    );
}

}  // namespace improve_config_yaml_test
