// The waterfall picture's time axis (pure): nice tick steps and labels, monotonic ticks on the
// plot whatever the duration, zero and enormous durations.
#include <catch2/catch.hpp>
#include <regex>
#include <string>
#include <vector>

#include "nra/render/waterfall_picture.hpp"
#include "waterfall_picture_helpers.hpp"

namespace waterfall_picture_axis_test {

using nra::test::TraceBuilder;
using namespace nra::test::picture;

TEST_CASE("axis tick labels are nice steps", "[unit][picture]") {
    const auto labels = [](double total_us) {
        std::vector<std::string> out;
        for (const auto& t : nra::nice_ticks(total_us, 7)) out.push_back(t.label);
        return out;
    };
    CHECK(
        labels(1'450'000) ==
        std::vector<std::string>{"0 ms", "250 ms", "500 ms", "750 ms", "1 s", "1.25 s"}
    );
    CHECK(
        labels(1'000'000) ==
        std::vector<std::string>{"0 ms", "200 ms", "400 ms", "600 ms", "800 ms", "1 s"}
    );
    CHECK(labels(3'600'000'000.0).back() == "1 h");
    CHECK(labels(90'000'000).at(1) == "15 s");
    CHECK(labels(90'000'000).back() == "1 min 30 s");
    CHECK(labels(1'500).at(1) == "250 µs");
    CHECK(labels(1'500).back() == "1.5 ms");
}

TEST_CASE("axis ticks are monotonic and on the plot, whatever the duration", "[unit][picture]") {
    const std::regex nice(R"(^\d+(\.\d{1,3})? (µs|ms|s|min|h)$|^\d+ min \d+ s$|^\d+ h \d+ min$)");
    for (const double total : {1.0, 7.0, 999.0, 12'345.0, 3.3e6, 4.2e7, 7.7e8, 9.1e9, 1e12, 1e18}) {
        const auto ticks = nra::nice_ticks(total, 7);
        INFO(total);
        REQUIRE(ticks.size() >= 2);
        REQUIRE(ticks.size() <= 16);
        CHECK(ticks.front().us == 0);
        CHECK(ticks.back().us <= total * (1 + 1e-9));
        for (std::size_t i = 0; i < ticks.size(); ++i) {
            CHECK(std::regex_match(ticks[i].label, nice));
            if (i > 0) CHECK(ticks[i].us > ticks[i - 1].us);
        }
    }
    const auto pic = picture_of(analyse(checkout()));
    REQUIRE(pic.ticks.size() >= 3);
    CHECK(pic.ticks.front().x == Approx(pic.geometry.plot_x0));
    for (std::size_t i = 1; i < pic.ticks.size(); ++i) {
        CHECK(pic.ticks[i].x > pic.ticks[i - 1].x);
        CHECK(pic.ticks[i].x <= pic.geometry.plot_x1 + 0.001);
    }
}

TEST_CASE("zero and enormous durations stay on the axis", "[unit][picture]") {
    TraceBuilder zero;
    zero.add("r", "", "api", "GET /", 0, 0);
    zero.add("c", "r", "api", "child", 0, 0);
    const auto flat = picture_of(analyse(zero));
    REQUIRE(flat.rows.size() == 2);
    for (const auto& row : flat.rows) {
        CHECK(row.x1 - row.x0 >= 2);
        CHECK(row.x0 >= flat.geometry.plot_x0);
        CHECK(row.x1 <= flat.geometry.plot_x1);
    }

    TraceBuilder huge;
    huge.add("r", "", "batch", "nightly", 0, 4'000'000'000'000'000'000);  // ~127 millennia
    huge.add("c", "r", "batch", "step", 1'000, 9'000'000'000'000'000'000);
    const auto big = picture_of(analyse(huge));
    REQUIRE(big.rows.size() == 2);
    for (const auto& row : big.rows) {
        CHECK(row.x0 >= big.geometry.plot_x0);
        CHECK(row.x1 <= big.geometry.plot_x1);
        CHECK(row.x1 > row.x0);
    }
    REQUIRE_FALSE(big.ticks.empty());
    for (const auto& t : big.ticks) {
        CHECK(t.label.find("nan") == std::string::npos);
        CHECK(t.label.find("inf") == std::string::npos);
    }
}

}  // namespace waterfall_picture_axis_test
