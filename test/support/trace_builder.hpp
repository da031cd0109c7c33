// TraceBuilder: terse hand-built traces for unit tests. Times are in µs relative to a fixed base.
#pragma once

#include <string>

#include "nra/span.hpp"

namespace nra::test {

class TraceBuilder {
public:
    static constexpr std::int64_t kBase = 1'763'632'800'000'000;  // 2025-11-20T10:00:00Z in µs

    explicit TraceBuilder(std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736") {
        trace_.trace_id = std::move(trace_id);
    }

    // Adds a span; returns it for further tweaks (valid until the next add).
    Span& add(
        std::string_view id,
        std::string_view parent,
        std::string_view service,
        std::string_view name,
        std::int64_t start_us,
        std::int64_t duration_us
    ) {
        Span s;
        s.span_id = trace_.intern(id);
        s.parent_id = trace_.intern(parent);
        s.trace_id = trace_.intern(trace_.trace_id);
        s.service = trace_.intern(service);
        s.name = trace_.intern(name);
        s.start_us = kBase + start_us;
        s.duration_us = duration_us;
        trace_.spans.push_back(s);
        return trace_.spans.back();
    }

    std::string_view intern(std::string_view s) { return trace_.intern(s); }
    Trace build() const { return trace_; }

private:
    Trace trace_;
};

}  // namespace nra::test
