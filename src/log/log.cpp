#include "log/log.hpp"

#include <atomic>
#include <cstdio>

namespace nra::log {
namespace {

std::atomic<Level> g_level{Level::warn};
Sink g_sink;  // empty: stderr

}  // namespace

void set_level(Level lvl) {
    g_level.store(lvl);
}

Level level() {
    return g_level.load();
}

void set_sink(Sink sink) {
    g_sink = std::move(sink);
}

std::string_view to_string(Level lvl) {
    switch (lvl) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warn:
            return "warn";
        case Level::error:
            return "error";
        case Level::off:
            break;
    }
    return "off";
}

void write(Level lvl, std::string_view message) {
    if (lvl < g_level.load()) return;
    if (g_sink) {
        g_sink(lvl, message);
        return;
    }
    // One write per line so concurrent lines do not interleave mid-line.
    const std::string line = fmt::format("[{}] {}\n", to_string(lvl), message);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

void failure(std::string_view what, const std::exception_ptr& error) {
    if (!error) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        write(Level::error, fmt::format("{}: {}", what, e.what()));
    } catch (...) {
        write(Level::error, fmt::format("{}: unknown exception", what));
    }
}

}  // namespace nra::log
