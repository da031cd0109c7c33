// The Prometheus registry behind GET /metrics: counters by label, cumulative histogram buckets,
// gauges read at scrape time, and label values escaped as the text format requires.
#include <catch2/catch.hpp>

#include "obs/metrics.hpp"

namespace metrics_registry_test {

using nra::obs::Registry;

TEST_CASE("counters add up per label set and render sorted by family") {
    Registry r;
    r.count("b_total", "B things", {{"kind", "x"}});
    r.count("b_total", "B things", {{"kind", "x"}}, 2);
    r.count("b_total", "B things", {{"kind", "y"}});
    r.count("a_total", "A things", {});
    CHECK(r.counter_value("b_total", {{"kind", "x"}}) == 3);
    CHECK(r.counter_value("b_total", {{"kind", "z"}}) == 0);
    const auto text = r.render();
    CHECK(
        text ==
        "# HELP a_total A things\n# TYPE a_total counter\na_total 1\n"
        "# HELP b_total B things\n# TYPE b_total counter\nb_total{kind=\"x\"} 3\n"
        "b_total{kind=\"y\"} 1\n"
    );
}

TEST_CASE("histograms render cumulative buckets, +Inf, sum and count") {
    Registry r;
    const std::vector<double> bounds{0.1, 1};
    r.observe("t_seconds", "Time", {{"route", "a"}}, 0.05, bounds);
    r.observe("t_seconds", "Time", {{"route", "a"}}, 0.5, bounds);
    r.observe("t_seconds", "Time", {{"route", "a"}}, 5, bounds);
    const auto text = r.render();
    CHECK(text.find("t_seconds_bucket{route=\"a\",le=\"0.1\"} 1\n") != std::string::npos);
    CHECK(text.find("t_seconds_bucket{route=\"a\",le=\"1\"} 2\n") != std::string::npos);
    CHECK(text.find("t_seconds_bucket{route=\"a\",le=\"+Inf\"} 3\n") != std::string::npos);
    CHECK(text.find("t_seconds_sum{route=\"a\"} 5.55\n") != std::string::npos);
    CHECK(text.find("t_seconds_count{route=\"a\"} 3\n") != std::string::npos);
}

TEST_CASE("gauges are read when scraped and label values are escaped") {
    Registry r;
    double queued = 1;
    r.gauge("q", "Queued", [&queued] { return queued; });
    queued = 7;
    r.count("e_total", "E", {{"v", "a\"b\\c\nd"}});
    const auto text = r.render();
    CHECK(text.find("\nq 7\n") != std::string::npos);
    CHECK(text.find(R"(e_total{v="a\"b\\c\nd"} 1)") != std::string::npos);
}

TEST_CASE("declared families are listed before their first sample, and keep their help") {
    Registry r;
    r.declare("z_total", "Z things", "counter", false);
    r.declare("y_total", "Y things", "counter", true);
    r.declare("x_seconds", "X time", "histogram", true, {1});
    CHECK(
        r.render() ==
        "# HELP x_seconds X time\n# TYPE x_seconds histogram\n"
        "# HELP y_total Y things\n# TYPE y_total counter\n"
        "# HELP z_total Z things\n# TYPE z_total counter\nz_total 0\n"
    );
    r.count("z_total", "other help", {}, 2);
    r.count("y_total", "other help", {{"k", "v"}});
    r.observe("x_seconds", "X time", {}, 0.5, {10});
    const auto text = r.render();
    CHECK(
        text.find("# HELP z_total Z things\n# TYPE z_total counter\nz_total 2\n") !=
        std::string::npos
    );
    CHECK(text.find("y_total{k=\"v\"} 1\n") != std::string::npos);
    CHECK(text.find("x_seconds_bucket{le=\"1\"} 1\n") != std::string::npos);
}

TEST_CASE("the process-wide registry starts with every family of the catalog") {
    const auto text = nra::obs::registry().render();
    for (const char* name :
         {"nra_rate_limited_total", "nra_shared_dedup_hits_total", "nra_connections_shed_total"}) {
        INFO(name);
        CHECK(text.find("\n" + std::string(name) + " ") != std::string::npos);
    }
    CHECK(text.find("# TYPE nra_upstream_request_seconds histogram\n") != std::string::npos);
}

}  // namespace metrics_registry_test
