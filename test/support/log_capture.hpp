// Captures what the code under test logs, for the life of the object, so a test can check what
// was said (and that no secret was). Thread-safe: adapters may log from their I/O threads.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "log/log.hpp"

namespace nra::test {

class LogCapture {
public:
    explicit LogCapture(log::Level level = log::Level::debug) {
        log::set_sink([this](log::Level, std::string_view line) {
            const std::lock_guard lock(mutex_);
            lines_.emplace_back(line);
        });
        log::set_level(level);
    }
    ~LogCapture() {
        log::set_sink(nullptr);
        log::set_level(log::Level::warn);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::string> lines() const {
        const std::lock_guard lock(mutex_);
        return lines_;
    }
    std::string text() const {  // every line, each ending in '\n'
        std::string all;
        for (const auto& l : lines()) all += l + "\n";
        return all;
    }
    bool mentions(std::string_view needle) const {
        return text().find(needle) != std::string::npos;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

}  // namespace nra::test
