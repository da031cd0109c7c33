// Shared helpers of the libFuzzer harnesses: an invariant check that aborts (so libFuzzer saves
// the input) and the "an error is one short line" rule every parser in the project promises.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace nra::fuzz {

// Prints the violated invariant and aborts: libFuzzer records the input as a crash artifact.
// Replayed by a Catch2 test (NRA_FUZZ_REPLAY), it throws instead so the test reports it.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
#ifdef NRA_FUZZ_REPLAY
    throw std::runtime_error(std::string(what) + " " + std::string(detail.substr(0, 300)));
#endif
    std::fprintf(
        stderr,
        "invariant violated: %.*s %.*s\n",
        static_cast<int>(what.size()),
        what.data(),
        static_cast<int>(std::min<std::size_t>(detail.size(), 300)),
        detail.data()
    );
    std::abort();
}

inline void check(bool ok, std::string_view what, std::string_view detail = {}) {
    if (!ok) fail(what, detail);
}

// Errors end up in logs and in Slack: non-empty, one line, bounded.
inline void check_error_line(std::string_view error, std::size_t max_chars = 400) {
    check(!error.empty(), "empty error message");
    check(error.find_first_of("\r\n") == std::string_view::npos, "error with a newline:", error);
    check(error.size() <= max_chars, "error longer than the limit:", error);
}

// Splits `input` at the first `parts - 1` newlines; missing parts are empty.
inline std::vector<std::string_view> split_lines(std::string_view input, std::size_t parts) {
    std::vector<std::string_view> out;
    while (out.size() + 1 < parts) {
        const auto nl = input.find('\n');
        out.push_back(input.substr(0, nl));
        input = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);
    }
    out.push_back(input);
    return out;
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace nra::fuzz
