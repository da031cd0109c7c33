// Per-endpoint statistics of one service over one window, as the MetricsSource delivers them.
// Times are milliseconds; rates are fractions 0..1; a missing value (no data) is nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nra {

enum class ServiceKind { apm, otel };  // Transaction events vs OpenTelemetry server/consumer spans

struct EndpointStats {
    std::string name;        // transaction name or entry span name, e.g. "WebTransaction/…"
    std::int64_t count = 0;  // requests in the window
    double throughput_rpm = 0;
    std::optional<double> avg_ms, p50_ms, p95_ms, p99_ms, max_ms;
    std::int64_t errors = 0;  // requests that failed
    // Error-aware Apdex counts (NRQL apdex() ignores errors): good requests within T and 4T.
    std::int64_t satisfied = 0;
    std::int64_t tolerating = 0;
    // Requests slower than the latency SLO threshold (0 when no latency SLO applies).
    std::int64_t slow = 0;

    double error_rate() const { return count > 0 ? double(errors) / double(count) : 0.0; }
    // (satisfied + tolerating / 2) / count; nullopt without requests.
    std::optional<double> apdex() const {
        if (count <= 0) return std::nullopt;
        return (double(satisfied) + double(tolerating) / 2.0) / double(count);
    }
};

struct ReportWindow {
    std::int64_t since_ms = 0;  // Unix epoch milliseconds
    std::int64_t until_ms = 0;
};

struct ServiceStats {
    std::string service;
    ServiceKind kind = ServiceKind::apm;
    ReportWindow window;
    std::vector<EndpointStats> endpoints;  // current window
    std::vector<EndpointStats> previous;   // the window before, same length (may be empty)
    bool truncated = false;                // New Relic's facet limit cut the endpoint list
};

// Good/bad event counts for one SLO: over its whole rolling window (attainment, budget) and over
// the report's recent window (burn rate now).
struct SloCounts {
    std::int64_t total = 0;         // valid events in the SLO window
    std::int64_t bad = 0;           // failed (availability) or too slow (latency) in the SLO window
    std::int64_t recent_total = 0;  // the same over the last hour
    std::int64_t recent_bad = 0;
};

}  // namespace nra
