// The rate limit for log lines outsiders can trigger: one line per interval, the rest counted and
// reported on the next line written, on a clock the test moves by hand.
#include "log/log_limiter.hpp"

#include <catch2/catch.hpp>

#include "support/log_capture.hpp"

namespace log_limiter_test {

using nra::log::LogLimiter;
using std::chrono::milliseconds;

TEST_CASE("one line per interval, and the next one says how many were held back") {
    milliseconds now{1'000};
    LogLimiter limiter(milliseconds{10'000}, [&now] { return now; });
    CHECK(limiter.admit() == std::optional<std::size_t>{0});
    for (int i = 0; i < 5; ++i) CHECK_FALSE(limiter.admit().has_value());
    now += milliseconds{9'999};
    CHECK_FALSE(limiter.admit().has_value());
    now += milliseconds{1};
    CHECK(limiter.admit() == std::optional<std::size_t>{6});
    CHECK_FALSE(limiter.admit().has_value());
    now += milliseconds{60'000};
    CHECK(limiter.admit() == std::optional<std::size_t>{1});
    CHECK(limiter.admit() == std::nullopt);
}

TEST_CASE("a clock that goes back starts a new interval") {
    milliseconds now{50'000};
    LogLimiter limiter(milliseconds{10'000}, [&now] { return now; });
    CHECK(limiter.admit().has_value());
    now = milliseconds{1'000};
    CHECK(limiter.admit() == std::optional<std::size_t>{0});
    CHECK_FALSE(limiter.admit().has_value());
}

TEST_CASE("warn writes the first line and the count of the held-back ones with the next") {
    nra::test::LogCapture logs(nra::log::Level::warn);
    milliseconds now{0};
    LogLimiter limiter(milliseconds{5'000}, [&now] { return now; });
    for (int i = 0; i < 1'000; ++i) limiter.warn("refused {}", i);
    now += milliseconds{5'000};
    limiter.warn("refused {}", "again");
    limiter.info("not at warn level");
    REQUIRE(logs.lines().size() == 2);
    CHECK(logs.lines()[0] == "refused 0");
    CHECK(logs.lines()[1] == "refused again (999 more suppressed)");
}

}  // namespace log_limiter_test
