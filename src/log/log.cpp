#include "log/log.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <vector>

#include "log/log_format.hpp"
#include "log/secret_forms.hpp"

namespace nra::log {
namespace {

std::atomic<Level> g_level{Level::warn};
std::atomic<Format> g_format{Format::text};
Sink g_sink;  // empty: stderr

std::mutex g_secrets_mutex;
std::vector<std::string> g_secret_forms;  // of every add_secret(), longest first

std::string redact_registered(std::string_view message) {
    const std::lock_guard lock(g_secrets_mutex);
    return g_secret_forms.empty() ? std::string(message) : redact_forms(message, g_secret_forms);
}

// The innermost RequestScope's id on this thread (owned by that scope).
thread_local std::string_view t_request_id;

}  // namespace

void set_level(Level lvl) {
    g_level.store(lvl);
}

Level level() {
    return g_level.load();
}

void set_format(Format format) {
    g_format.store(format);
}

Format format() {
    return g_format.load();
}

void add_secret(std::string_view secret) {
    auto forms = secret_forms(secret);
    const std::lock_guard lock(g_secrets_mutex);
    g_secret_forms.insert(g_secret_forms.end(), forms.begin(), forms.end());
    std::sort(g_secret_forms.begin(), g_secret_forms.end(), [](const auto& a, const auto& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    g_secret_forms.erase(
        std::unique(g_secret_forms.begin(), g_secret_forms.end()), g_secret_forms.end()
    );
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
    // Defence in depth: callers should never log a secret, but a token pasted into a message or
    // echoed in an upstream's error text must not reach a log store.
    const std::string clean = scrub_secrets(redact_registered(message));
    if (g_sink) {
        g_sink(lvl, clean);
        return;
    }
    LineFields fields;
    fields.level = lvl;
    fields.request_id = t_request_id;
    fields.message = clean;
    fields.time = std::chrono::system_clock::now();
    // One write per line so concurrent lines do not interleave mid-line.
    const std::string line = format_line(g_format.load(), fields) + "\n";
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

std::string current_request_id() {
    return std::string(t_request_id);
}

std::string new_request_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return fmt::format("{:016x}", rng());
}

std::string request_id_or_new(std::string_view candidate) {
    constexpr std::size_t kMaxLength = 64;
    const auto sane = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    };
    if (candidate.empty() || candidate.size() > kMaxLength ||
        !std::all_of(candidate.begin(), candidate.end(), sane)) {
        return new_request_id();
    }
    return std::string(candidate);
}

RequestScope::RequestScope(std::string id) : id_(std::move(id)), previous_(t_request_id) {
    t_request_id = id_;
}

RequestScope::~RequestScope() {
    t_request_id = previous_;
}

}  // namespace nra::log
