// nr-analyzer.yaml: the documented example, every rule, and errors that name file, line and field.
#include "config/improve_config_yaml.hpp"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace nra;
using namespace nra::config;
namespace fs = std::filesystem;

namespace {

Result<LoadedConfig> parse(std::string_view yaml) {
    return parse_improve_config(yaml, "t.yaml");
}

ImproveConfig parse_ok(std::string_view yaml) {
    auto r = parse(yaml);
    INFO(yaml);
    REQUIRE(r.ok());
    CHECK(r->warnings.empty());
    return r->config;
}

std::string error_of(std::string_view yaml) {
    auto r = parse(yaml);
    INFO(yaml);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.flush());
}

// A fresh directory, removed afterwards (unique: ctest runs test cases in parallel).
struct TempDir {
    fs::path path;
    TempDir() {
#ifdef NRA_TEST_TMP_DIR
        const fs::path base = NRA_TEST_TMP_DIR;
#else
        const fs::path base = fs::temp_directory_path();
#endif
        auto pattern = (base / "nra-config-test-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// resolve_improve_config looks in the working directory; restore it whatever happens.
struct WorkingDirectory {
    fs::path previous = fs::current_path();
    explicit WorkingDirectory(const fs::path& dir) { fs::current_path(dir); }
    ~WorkingDirectory() {
        std::error_code ignored;
        fs::current_path(previous, ignored);
    }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;
};

const fs::path kExample = fs::path(NRA_SOURCE_DIR) / "nr-analyzer.example.yaml";

}  // namespace

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

    REQUIRE(c.schedules.size() == 2);
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

TEST_CASE("wrong types are errors with the line") {
    CHECK(
        error_of("report: {}\nthresholds: [1, 2]\n") ==
        "t.yaml:2: thresholds: must be a mapping (key: value), got a list"
    );
    CHECK(
        error_of("thresholds:\n  p95_ms: fast\n") ==
        "t.yaml:2: thresholds.p95_ms: must be a number, got fast"
    );
    CHECK(
        error_of("thresholds:\n  p95_ms:\n  error_rate: 1%\n") ==
        "t.yaml:2: thresholds.p95_ms: must be a number, got nothing"
    );
    CHECK(
        error_of("thresholds:\n  p95_ms: [1]\n")
            .find("t.yaml:2: thresholds.p95_ms: must be a number, got a list") == 0
    );
    CHECK(error_of("slos:\n  name: a\n").find("t.yaml:2: slos: must be a list") == 0);
    CHECK(
        error_of("jira:\n  auto_create: maybe\n") ==
        "t.yaml:2: jira.auto_create: must be true or false, got maybe"
    );
    CHECK(error_of("jira:\n  labels: ops\n").find("t.yaml:2: jira.labels: must be a list") == 0);
    CHECK(
        error_of("report:\n  top_endpoints: 2.5\n") ==
        "t.yaml:2: report.top_endpoints: must be a whole number from 1 to 50, got 2.5"
    );
    CHECK(error_of("- a\n- b\n").find("t.yaml:1: the file must be a mapping of sections") == 0);
    CHECK(error_of("just text\n").find("t.yaml:1:") == 0);
    CHECK(
        error_of("thresholds:\n  p95_ms: 1\n  p95_ms: 2\n") ==
        "t.yaml:3: thresholds: duplicate key \"p95_ms\" (first on line 2)"
    );
    CHECK(error_of("{[1]: 2}").find("must be a plain key") != std::string::npos);
    CHECK(error_of(std::string(300, 'k') + ": 1") == "t.yaml:1: has a key that is too long");
}

TEST_CASE("thresholds must be positive, Apdex within (0, 1]") {
    CHECK(
        error_of("thresholds: {p95_ms: 0}").find("thresholds.p95_ms: must be greater than 0") !=
        std::string::npos
    );
    CHECK(
        error_of("thresholds: {apdex_t_ms: -1}").find("thresholds.apdex_t_ms") != std::string::npos
    );
    CHECK(
        error_of("thresholds: {apdex_min: 0}")
            .find("thresholds.apdex_min: must be an Apdex score") != std::string::npos
    );
    CHECK(
        error_of("thresholds: {apdex_min: 85}").find("thresholds.apdex_min") != std::string::npos
    );
    CHECK(
        error_of("thresholds: {min_throughput_rpm: -1}").find("thresholds.min_throughput_rpm") !=
        std::string::npos
    );
    const auto c = parse_ok("thresholds: {apdex_min: 1, min_throughput_rpm: 0, p95_ms: 250.5}");
    CHECK(c.defaults.apdex_min == 1);
    CHECK(c.defaults.min_throughput_rpm == 0);
    CHECK(c.defaults.p95_ms == Approx(250.5));
    CHECK(c.defaults.apdex_t_ms == 500);  // unset keys keep their defaults
}

TEST_CASE("overrides: globs, apdex_t_ms per service only, empty ones warned") {
    auto r = parse(
        "overrides:\n"
        "  - service: checkout\n"
        "    apdex_t_ms: 300\n"
        "  - endpoint: \"GET /cart*\"\n"
        "    apdex_t_ms: 100\n"
        "    p95_ms: 400\n"
        "  - service: inventory\n"
    );
    REQUIRE(r.ok());
    const auto& o = r->config.overrides;
    REQUIRE(o.size() == 3);
    CHECK(o[0].service == "checkout");
    CHECK(o[0].endpoint == "*");
    CHECK(o[0].apdex_t_ms == Approx(300));
    CHECK(o[1].service == "*");
    CHECK_FALSE(o[1].apdex_t_ms.has_value());
    CHECK(o[1].p95_ms == Approx(400));
    REQUIRE(r->warnings.size() == 2);
    CHECK(
        r->warnings[0].find("t.yaml:5: overrides[1].apdex_t_ms: apdex_t_ms applies per service; "
                            "set it in an override with endpoint \"*\"") == 0
    );
    CHECK(r->warnings[1] == "t.yaml:7: overrides[2]: sets no threshold, so it changes nothing");
    CHECK(
        error_of("overrides:\n  - {service: a, error_rate: 0}\n")
            .find("t.yaml:2: overrides[0].error_rate:") == 0
    );
}

TEST_CASE("report and jira settings are range-checked") {
    CHECK(parse_ok("report: {window_days: 14d}").window_days == 14);
    CHECK(
        error_of("report: {window_days: 31}")
            .find("report.window_days: must be from 1 to 30 days") != std::string::npos
    );
    CHECK(
        parse_ok("report: {top_endpoints: 2}").suggest_endpoints == 2
    );  // follows top_endpoints down
    CHECK(
        error_of("report: {top_endpoints: 2, suggest_endpoints: 3}") ==
        "t.yaml:1: report.suggest_endpoints: cannot exceed top_endpoints (2)"
    );
    CHECK(
        error_of("jira: {project: ops}") ==
        "t.yaml:1: jira.project: must be a Jira project key like OPS, got ops"
    );
    CHECK(
        error_of("jira: {persist_runs: 0}")
            .find("jira.persist_runs: must be a whole number from 1 to 20") != std::string::npos
    );
    CHECK(
        error_of("jira:\n  labels:\n    - ok\n    - not ok\n")
            .find("t.yaml:4: jira.labels[1]: Jira labels have no spaces") == 0
    );
    CHECK(parse_ok("jira: {labels: []}").jira.labels.empty());
    CHECK(parse_ok("jira: {auto_create: yes}").jira.auto_create);
}

TEST_CASE("repository templates: known placeholders, {filepath} required") {
    const auto c = parse_ok(
        "repositories:\n  checkout: "
        "https://git.example/{service}/{filepath}?l={lineno}&f={function}\n"
    );
    CHECK(
        c.repositories.at("checkout") ==
        "https://git.example/{service}/{filepath}?l={lineno}&f={function}"
    );
    CHECK(
        error_of(
            "repositories:\n  \"*\": https://github.com/acme/x/blob/main/{file_path}#L{lineno}\n"
        ) ==
        "t.yaml:2: repositories[\"*\"]: unknown placeholder {file_path} (did you mean "
        "{filepath}?); use "
        "{service}, {filepath}, {lineno}, {function}"
    );
    CHECK(
        error_of("repositories: {a: \"https://x/{filepath\"}").find("without its") !=
        std::string::npos
    );
    CHECK(
        error_of("repositories: {a: \"https://x/blob\"}").find("needs {filepath}") !=
        std::string::npos
    );
    CHECK(
        error_of("repositories: {a: \"ftp://x/{filepath}\"}").find("https://") != std::string::npos
    );
    auto pattern = parse("repositories: {\"check*\": \"https://x/{filepath}\"}");
    REQUIRE(pattern.ok());
    REQUIRE(pattern->warnings.size() == 1);
    CHECK(pattern->warnings[0].find("never matches") != std::string::npos);
}

TEST_CASE("malformed YAML: tabs, unclosed quotes, several documents, deep nesting") {
    CHECK(
        error_of("thresholds:\n  p95_ms: 1\n\terror_rate: 1%\n") ==
        "t.yaml:3: a tab in the indentation: YAML indents with spaces"
    );
    CHECK(error_of("thresholds:\n\tp95_ms: 1\n").find("t.yaml:2: a tab in the indentation") == 0);
    CHECK(
        error_of("jira:\n  project: \"OPS\n  issue_type: Bug\n") ==
        "t.yaml:2: a value opened with \" is never closed"
    );
    CHECK(
        error_of("jira:\n  issue_type: Bug\n  project: 'OPS\n") ==
        "t.yaml:3: a value opened with ' is never closed"
    );
    CHECK(
        error_of("jira:\n  project: &p \"OPS\n") ==
        "t.yaml:2: a value opened with \" is never closed"
    );
    CHECK(
        parse_ok("jira: {issue_type: 'it''s \"fine\"', labels: [\"a\\\"b\"]}").jira.issue_type ==
        "it's \"fine\""
    );
    CHECK(
        error_of("thresholds:\n  p95_ms: 1\n error_rate: 1\n").find("t.yaml:3: not valid YAML") == 0
    );
    CHECK(error_of("slos: [1, 2\n").find("t.yaml:") == 0);
    CHECK(error_of("jira: {}\n---\njira: {}\n").find("t.yaml:3: a second YAML document") == 0);
    CHECK(error_of(std::string(50000, '[')).find("t.yaml:1: nested too deeply") == 0);
    CHECK(parse_ok("\xEF\xBB\xBFjira: {project: OPS}\n").jira.project == "OPS");  // UTF-8 BOM
}

TEST_CASE("no prefix of the example makes yaml-cpp throw through the API") {
    const auto text = read_file(kExample);
    for (std::size_t n = 0; n <= text.size(); n += 7) {
        const auto prefix = std::string_view(text).substr(0, n);
        Result<LoadedConfig> r = make_error("not run");
        REQUIRE_NOTHROW(r = parse_improve_config(prefix, "x.yaml"));
        if (!r.ok()) CHECK(r.error().rfind("x.yaml:", 0) == 0);
    }
}

TEST_CASE("files: missing, a directory, over 1 MiB") {
    TempDir dir;
    const auto missing = (dir.path / "none.yaml").string();
    CHECK(load_improve_config(missing).error() == missing + ": config file not found");
    CHECK(
        load_improve_config(dir.path.string()).error().find("is a directory") != std::string::npos
    );

    const auto big = (dir.path / "big.yaml").string();
    std::string text = "jira: {project: OPS}\n";
    text += std::string(kMaxConfigBytes - text.size() - 1, '#') + "\n";  // exactly 1 MiB
    write_file(big, text);
    auto fits = load_improve_config(big);
    REQUIRE(fits.ok());
    CHECK(fits->config.jira.project == "OPS");
    write_file(big, text + "\n");
    CHECK(load_improve_config(big).error() == big + ": larger than 1 MiB; is this the right file?");

    const auto bad = (dir.path / "bad.yaml").string();
    write_file(
        bad, "slos:\n  - name: x\n    service: s\n    objective: availability\n    target: 100%\n"
    );
    CHECK(load_improve_config(bad).error().find(bad + ":5: slos[0].target:") == 0);
}

TEST_CASE("resolve: --config, else nr-analyzer.yaml when present, else built-in defaults") {
    TempDir dir;
    const WorkingDirectory cwd(dir.path);
    auto none = resolve_improve_config(std::nullopt);
    REQUIRE(none.ok());
    CHECK(none->source == "(built-in defaults)");
    CHECK(none->config.defaults.p95_ms == 1000);
    CHECK_FALSE(resolve_improve_config(std::string("other.yaml")).ok());  // must exist

    write_file(dir.path / "nr-analyzer.yaml", "thresholds: {p95_ms: 700}\n");
    write_file(dir.path / "other.yaml", "thresholds: {p95_ms: 300}\n");
    auto present = resolve_improve_config(std::nullopt);
    REQUIRE(present.ok());
    CHECK(present->source == "nr-analyzer.yaml");
    CHECK(present->config.defaults.p95_ms == 700);
    auto given = resolve_improve_config(std::string("other.yaml"));
    REQUIRE(given.ok());
    CHECK(given->source == "other.yaml");
    CHECK(given->config.defaults.p95_ms == 300);
    CHECK(
        resolve_improve_config(std::string("gone.yaml")).error() ==
        "gone.yaml: config file not found"
    );
    CHECK_FALSE(resolve_improve_config(std::string("")).ok());

    write_file(dir.path / "nr-analyzer.yaml", "thresholds: {p95_ms: -1}\n");  // broken: not skipped
    CHECK(
        resolve_improve_config(std::nullopt)
            .error()
            .find("nr-analyzer.yaml:1: thresholds.p95_ms") == 0
    );
    fs::remove(dir.path / "nr-analyzer.yaml");
    fs::create_symlink(dir.path / "nowhere.yaml", dir.path / "nr-analyzer.yaml");
    CHECK(
        resolve_improve_config(std::nullopt).error() == "nr-analyzer.yaml: config file not found"
    );
}
