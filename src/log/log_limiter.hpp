// A rate limit for one kind of log line that outsiders can trigger at will (refused signatures,
// refused connections): at most one line per interval; the lines held back are counted and the
// next line written says how many ("(M more suppressed)"). Count the events themselves in
// /metrics: this only keeps the log readable. Thread-safe; the clock is injected for tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "log/log.hpp"

namespace nra::log {

class LogLimiter {
public:
    // Any monotonic time (tests pass a clock they move by hand).
    using Now = std::function<std::chrono::milliseconds()>;

    explicit LogLimiter(std::chrono::milliseconds interval, Now now = {});

    // A line may be written now: returns how many were held back since the last one. nullopt:
    // hold this one back (it is counted).
    std::optional<std::size_t> admit();

    // log::warn through the limit, with " (M more suppressed)" when lines were held back.
    template <class... Args>
    void warn(fmt::format_string<Args...> format, Args&&... args) {
        if (level() > Level::warn) return;
        if (const auto held = admit()) {
            write(Level::warn, with_held(fmt::format(format, std::forward<Args>(args)...), *held));
        }
    }

    template <class... Args>
    void info(fmt::format_string<Args...> format, Args&&... args) {
        if (level() > Level::info) return;
        if (const auto held = admit()) {
            write(Level::info, with_held(fmt::format(format, std::forward<Args>(args)...), *held));
        }
    }

private:
    static std::string with_held(std::string line, std::size_t held);

    std::chrono::milliseconds interval_;
    Now now_;
    std::mutex mutex_;
    std::optional<std::chrono::milliseconds> last_;  // when the last line was written
    std::size_t held_ = 0;
};

}  // namespace nra::log
