// The nr-analyzer.yaml loader: types, ranges, overrides, templates, malformed YAML, files.
#include "improve_config_yaml_helpers.hpp"

namespace improve_config_yaml_rules_test {

using namespace yaml_test;  // NOLINT(google-build-using-namespace): test helpers
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

}  // namespace improve_config_yaml_rules_test
