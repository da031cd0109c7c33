// Verdict of one duration against its baseline. The rules, in order:
//   no_baseline  no stats, fewer than min_samples, or no positive p50;
//   slower       duration > p99 (strictly: a tie with p99 is still usual), duration ≥
//                slower_factor × p50 and duration − p50 ≥ min_delta_ms;
//   faster       duration ≤ faster_factor × p50 and p50 − duration ≥ min_delta_ms;
//   normal       everything else.
// p99 stands in for "the usual range": one request in a hundred goes beyond it. The factor and
// the delta keep tight distributions (p99 ≈ p50) and sub-millisecond spans from shouting.
// A missing p99 falls back to p90, then p50.
#include "nra/analysis/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "nra/span.hpp"
#include "nra/statement.hpp"

namespace nra {

std::string_view to_string(BaselineVerdict verdict) {
    switch (verdict) {
        case BaselineVerdict::normal:
            return "normal";
        case BaselineVerdict::slower:
            return "slower";
        case BaselineVerdict::faster:
            return "faster";
        case BaselineVerdict::no_baseline:
            break;
    }
    return "no_baseline";
}

std::string_view to_string(FindingContext context) {
    switch (context) {
        case FindingContext::unusual:
            return "unusual";
        case FindingContext::standing:
            return "standing";
        case FindingContext::unknown:
            break;
    }
    return "unknown";
}

std::string callee_key(const Span& span) {
    const std::string sep(1, kCalleeSeparator);
    const bool db = span.category == SpanCategory::datastore || !span.db_system.empty();
    if (db) {
        std::string_view database = attribute(span, "db.name");
        if (database.empty()) database = attribute(span, "db.namespace");
        if (database.empty()) database = attribute(span, "db.instance");
        if (span.db_system.empty() && database.empty()) return {};
        return "db" + sep + std::string(span.db_system) + sep + std::string(database);
    }
    const bool calls = span.kind == SpanKind::client || span.kind == SpanKind::producer ||
                       (span.category == SpanCategory::http && span.kind != SpanKind::server);
    if (!calls) return {};
    if (!span.http_url.empty()) {
        const auto shape = normalize_url(span.http_url);
        const bool has_host = !shape.empty() && shape.front() != '/';
        if (has_host || (span.peer_host.empty() && !shape.empty())) return "url" + sep + shape;
    }
    if (!span.peer_host.empty()) return "peer" + sep + std::string(span.peer_host);
    return {};
}

std::vector<std::string> callee_parts(std::string_view callee) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (from <= callee.size()) {
        const auto at = std::min(callee.find(kCalleeSeparator, from), callee.size());
        parts.emplace_back(callee.substr(from, at - from));
        from = at + 1;
    }
    const bool ok = (parts.size() == 3 && parts[0] == "db") ||
                    (parts.size() == 2 && (parts[0] == "url" || parts[0] == "peer"));
    if (!ok) parts.clear();
    return parts;
}

std::string callee_label(std::string_view callee) {
    const auto parts = callee_parts(callee);
    if (parts.empty()) return std::string(callee);
    if (parts[0] != "db") return parts[1];
    if (parts[1].empty() || parts[2].empty()) return parts[1] + parts[2];
    return parts[1] + " " + parts[2];
}

std::string baseline_window_text(int hours) {
    if (hours >= 48 && hours % 24 == 0) return fmt::format("last {} days", hours / 24);
    return fmt::format("last {} h", hours);
}

BaselineVerdict judge_duration(
    double duration_ms, const BaselineStats* stats, const BaselineOptions& options
) {
    if (stats == nullptr || stats->count < options.min_samples || !stats->p50_ms ||
        !std::isfinite(*stats->p50_ms) || *stats->p50_ms <= 0 || !std::isfinite(duration_ms)) {
        return BaselineVerdict::no_baseline;
    }
    const double p50 = *stats->p50_ms;
    const double p99 = stats->p99_ms.value_or(stats->p90_ms.value_or(p50));
    if (duration_ms > p99 && duration_ms >= options.slower_factor * p50 &&
        duration_ms - p50 >= options.min_delta_ms) {
        return BaselineVerdict::slower;
    }
    if (duration_ms <= options.faster_factor * p50 && p50 - duration_ms >= options.min_delta_ms) {
        return BaselineVerdict::faster;
    }
    return BaselineVerdict::normal;
}

}  // namespace nra
