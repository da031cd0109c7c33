// Leveled logging for adapters and the app: one line per event on stderr (text, or one JSON
// object per line for log collectors), or into a sink that tests install. Every line carries the
// current request id when there is one, and the registered secrets (in any encoding) and known
// secret shapes are scrubbed before anything is written; callers still log outcomes, never
// headers or bodies.
#pragma once

#include <fmt/format.h>

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace nra::log {

enum class Level { debug, info, warn, error, off };
enum class Format { text, json };

// Receives the (scrubbed) message only; the request id is log::current_request_id().
using Sink = std::function<void(Level, std::string_view)>;

void set_level(Level lvl);
Level level();
void set_format(Format format);
Format format();
// Replaces the stderr sink (nullptr restores it). Not thread-safe: set it before starting work.
void set_sink(Sink sink);
void write(Level lvl, std::string_view message);
// A secret this process sends (a token, a key, a password, Basic auth's "email:token"): from now
// on every line is scrubbed of it in each of its encodings (log/secret_forms.hpp), wherever it
// appears. Call at start-up; safe while other threads log.
void add_secret(std::string_view secret);
std::string_view to_string(Level lvl);

// Logs what an exception_ptr holds at error level ("<what>: <message>"); nothing when empty.
// The one completion-handler body for co_spawn'ed coroutines whose failure must not vanish.
void failure(std::string_view what, const std::exception_ptr& error);

// The request id of the work running on this thread ("" outside any request).
std::string current_request_id();
// A fresh id: 16 random lowercase hex digits.
std::string new_request_id();
// `candidate` when it is a sane id from outside (1 to 64 of [A-Za-z0-9._-]: safe in any log
// format and header), else new_request_id().
std::string request_id_or_new(std::string_view candidate);

// Makes `id` the current request id of this thread until destroyed, then restores the previous
// one. Scopes nest strictly: never keep one alive across a co_await (coroutines interleave on a
// thread); spawn the coroutine on with_request_id(...) instead (log/request_executor.hpp).
class RequestScope {
public:
    explicit RequestScope(std::string id);
    ~RequestScope();
    RequestScope(const RequestScope&) = delete;
    RequestScope& operator=(const RequestScope&) = delete;

private:
    std::string id_;
    std::string_view previous_;
};

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
