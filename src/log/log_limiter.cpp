#include "log/log_limiter.hpp"

namespace nra::log {

LogLimiter::LogLimiter(std::chrono::milliseconds interval, Now now)
    : interval_(interval), now_(std::move(now)) {
    if (!now_) {
        now_ = [] {
            return std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now().time_since_epoch()
            );
        };
    }
}

std::optional<std::size_t> LogLimiter::admit() {
    const auto now = now_();
    const std::lock_guard lock(mutex_);
    // A clock that went back (a wall clock in tests) starts a new interval rather than a long one.
    if (last_ && now >= *last_ && now - *last_ < interval_) {
        ++held_;
        return std::nullopt;
    }
    last_ = now;
    return std::exchange(held_, 0);
}

std::string LogLimiter::with_held(std::string line, std::size_t held) {
    if (held > 0) line += fmt::format(" ({} more suppressed)", held);
    return line;
}

}  // namespace nra::log
