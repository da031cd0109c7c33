// Test helper for the detector tests: builds a Trace span by span (times in ms from a fixed
// epoch), then runs the real pipeline: assemble → self_times → detect_all.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "nra/analysis/analysis.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/detectors/detectors.hpp"

namespace nra::test {

inline constexpr std::int64_t kEpochUs = 1'700'000'000'000'000;

// Concatenates ids and statements (fmt, not operator+: GCC 12 -O3 warns falsely on the latter).
template <class... Parts>
std::string cat(const Parts&... parts) {
    std::string out;
    (out.append(fmt::format("{}", parts)), ...);
    return out;
}

class DetectorTraceBuilder {
public:
    DetectorTraceBuilder() { trace_.trace_id = "t1"; }

    // A span of `service` (default "svc"); the reference is valid until the next add.
    Span& add(
        std::string_view id,
        std::string_view parent,
        std::string_view name,
        double start_ms,
        double duration_ms
    ) {
        Span s;
        s.span_id = trace_.intern(id);
        s.parent_id = trace_.intern(parent);
        s.trace_id = trace_.intern("t1");
        s.name = trace_.intern(name);
        s.service = trace_.intern(service_);
        s.kind = parent.empty() ? SpanKind::server : SpanKind::internal;
        s.start_us = kEpochUs + std::llround(start_ms * 1000.0);
        s.duration_us = std::llround(duration_ms * 1000.0);
        trace_.spans.push_back(s);
        return trace_.spans.back();
    }

    Span& db(
        std::string_view id,
        std::string_view parent,
        std::string_view statement,
        double start_ms,
        double duration_ms
    ) {
        Span& s = add(id, parent, "postgresql.query", start_ms, duration_ms);
        s.kind = SpanKind::client;
        s.category = SpanCategory::datastore;
        s.db_system = trace_.intern("postgresql");
        s.db_statement = trace_.intern(statement);
        return s;
    }

    Span& http(
        std::string_view id,
        std::string_view parent,
        std::string_view method,
        std::string_view url,
        double start_ms,
        double duration_ms
    ) {
        Span& s = add(id, parent, cat(method, " ", url), start_ms, duration_ms);
        s.kind = SpanKind::client;
        s.category = SpanCategory::http;
        s.http_method = trace_.intern(method);
        s.http_url = trace_.intern(url);
        return s;
    }

    std::string_view str(std::string_view s) { return trace_.intern(s); }
    void service(std::string name) { service_ = std::move(name); }

    TraceTree build() { return assemble(std::move(trace_)); }

    std::vector<Finding> run(const DetectorThresholds& limits = {}) {
        const TraceTree tree = build();
        return detect_all(tree, self_times(tree), limits);
    }

private:
    Trace trace_;
    std::string service_ = "svc";
};

inline std::vector<Finding> of_kind(const std::vector<Finding>& all, std::string_view kind) {
    std::vector<Finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Finding& f) {
        return f.kind == kind;
    });
    return out;
}

inline bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

}  // namespace nra::test
