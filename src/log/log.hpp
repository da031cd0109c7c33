// Minimal leveled logging for adapters and the app: one line per event on stderr, or into a sink
// that tests install. Messages must never carry secrets (API keys, tokens, request bodies):
// callers log outcomes, never headers. Structured JSON logs come with the production issue.
#pragma once

#include <fmt/format.h>

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace nra::log {

enum class Level { debug, info, warn, error, off };

using Sink = std::function<void(Level, std::string_view)>;

void set_level(Level lvl);
Level level();
// Replaces the stderr sink (nullptr restores it). Not thread-safe: set it before starting work.
void set_sink(Sink sink);
void write(Level lvl, std::string_view message);
std::string_view to_string(Level lvl);

// Logs what an exception_ptr holds at error level ("<what>: <message>"); nothing when empty.
// The one completion-handler body for co_spawn'ed coroutines whose failure must not vanish.
void failure(std::string_view what, const std::exception_ptr& error);

template <class... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
    if (level() <= Level::warn)
        write(Level::warn, fmt::format(format, std::forward<Args>(args)...));
}

template <class... Args>
void info(fmt::format_string<Args...> format, Args&&... args) {
    if (level() <= Level::info)
        write(Level::info, fmt::format(format, std::forward<Args>(args)...));
}

template <class... Args>
void error(fmt::format_string<Args...> format, Args&&... args) {
    if (level() <= Level::error)
        write(Level::error, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace nra::log
