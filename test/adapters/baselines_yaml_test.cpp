// The `baselines:` section of nr-analyzer.yaml: defaults, every key, and clear range errors.
#include "improve_config_yaml_helpers.hpp"

namespace baselines_yaml_test {

using namespace yaml_test;

TEST_CASE("baselines: defaults without the section") {
    const auto c = parse_ok("report: {}\n");
    CHECK(c.baselines_enabled);
    CHECK(c.baselines.window_hours == 24);
    CHECK(c.baselines.min_samples == 20);
    CHECK(c.baselines.slower_factor == 1.5);
}

TEST_CASE("baselines: every key is read, windows in hours or days") {
    const auto c = parse_ok(
        "baselines:\n  enabled: false\n  window: 2d\n  min_samples: 50\n  slower_factor: 2\n"
        "  faster_factor: 0.1\n  min_delta_ms: 20\n  max_operations: 30\n"
    );
    CHECK_FALSE(c.baselines_enabled);
    CHECK(c.baselines.window_hours == 48);
    CHECK(c.baselines.min_samples == 50);
    CHECK(c.baselines.slower_factor == 2);
    CHECK(c.baselines.faster_factor == 0.1);
    CHECK(c.baselines.min_delta_ms == 20);
    CHECK(c.baselines.max_keys == 30);
    CHECK(parse_ok("baselines:\n  window: 6h\n").baselines.window_hours == 6);
    CHECK(parse_ok("baselines:\n  window: 12\n").baselines.window_hours == 12);
}

TEST_CASE("baselines: out-of-range values name the line and the rule") {
    CHECK(
        error_of("baselines:\n  window: 9d\n") ==
        "t.yaml:2: baselines.window: must be from 1h to 7d, got 216h"
    );
    CHECK(
        error_of("baselines:\n  window: soon\n").find("must be hours like 24h") != std::string::npos
    );
    CHECK(
        error_of("baselines:\n  window: 99999999999999d\n").find("must be hours") !=
        std::string::npos
    );
    CHECK(
        error_of("baselines:\n  slower_factor: 0.5\n").find("must be 1 or more") !=
        std::string::npos
    );
    CHECK(error_of("baselines:\n  faster_factor: 1\n").find("below 1") != std::string::npos);
    CHECK(error_of("baselines:\n  min_samples: 0\n").find("t.yaml:2: baselines.min_samples") == 0);
    CHECK(error_of("baselines:\n  min_delta_ms: -1\n").find("0 ms or more") != std::string::npos);
}

TEST_CASE("baselines: an unknown key is a warning with a suggestion") {
    auto r = parse("baselines:\n  min_sample: 5\n");
    REQUIRE(r.ok());
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].find("min_samples") != std::string::npos);
}

}  // namespace baselines_yaml_test
