#include "core/render/incident_text.hpp"

#include <fmt/format.h>

#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"

namespace nra::render_detail {

std::string incident_heading(const IncidentSuspect& s, int traces) {
    std::string out = marked(s.service);
    if (!s.operation.empty()) out += " · " + marked(s.operation);
    return out + fmt::format(
                     " ({}, {} confidence, in {} of {} traces{})",
                     to_string(s.kind),
                     to_string(s.confidence),
                     s.traces_with,
                     traces,
                     s.excess_ms >= 1 ? ", " + format_duration(s.excess_ms) + " in all" : ""
                 );
}

std::string incident_lead(const IncidentReport& report) {
    if (report.suspects.empty()) return report.notes.empty() ? std::string() : report.notes.front();
    const auto& top = report.suspects.front();
    std::string lead = "Suspect: " + incident_heading(top, report.traces_analysed);
    if (!top.evidence.empty()) {
        lead += fmt::format(
            ": {} (trace {})",
            top.evidence.front().text,
            short_trace_id(top.evidence.front().trace_id)
        );
    }
    return lead;
}

std::string endpoint_line(const IncidentEndpoint& e) {
    std::string out = marked(e.name) + " (" + marked(e.service) + ")";
    if (e.window) {
        out += ": " + deviation_text(*e.window);
        if (e.traces > 0) out += fmt::format("; {} traces analysed", e.traces);
        return out;
    }
    return out + fmt::format(
                     ": {} traces, {} failed, {} slower than usual, p50 {}, max {}",
                     e.traces,
                     e.failed,
                     e.slower,
                     format_duration(e.p50_ms),
                     format_duration(e.max_ms)
                 );
}

std::string incident_window_text(const IncidentReport& r) {
    if (r.until_ms <= r.since_ms) return "no window";
    if (!r.live)
        return format_duration(static_cast<double>(r.until_ms - r.since_ms)) + " of traces";
    const auto minutes = (r.until_ms - r.since_ms + 30'000) / 60'000;
    if (minutes < 60) return fmt::format("last {} min", minutes);
    if (minutes % 60 == 0) return fmt::format("last {} h", minutes / 60);
    return fmt::format("last {} h {} min", minutes / 60, minutes % 60);
}

std::vector<SloBurn> other_burns(const IncidentReport& r) {
    std::vector<SloBurn> out;
    const auto* shown =
        !r.suspects.empty() && r.suspects.front().blast && r.suspects.front().blast->slo_burn
            ? &*r.suspects.front().blast->slo_burn
            : nullptr;
    for (const auto& b : r.slo_burns) {
        if (shown == nullptr || b.name != shown->name) out.push_back(b);
    }
    return out;
}

}  // namespace nra::render_detail
