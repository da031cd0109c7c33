#include "nra/render/render_incident.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"

namespace nra {
namespace {

using Json = nlohmann::ordered_json;
using render_detail::clean;
using render_detail::fit;
using render_detail::format_duration;
using render_detail::marked;
using render_detail::round_ms;

constexpr std::size_t kMaxText = 400;  // code points of one evidence text

std::string heading(const IncidentSuspect& s, int traces) {
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

void paragraph(std::string& out, const std::string& text, int width, std::size_t indent) {
    const auto room = static_cast<std::size_t>(std::max(width, 40)) - indent;
    for (const auto& line : render_detail::wrap(text, room, 6)) {
        out += std::string(indent, ' ') + line + "\n";
    }
}

std::string window_text(const IncidentReport& r) {
    if (r.until_ms <= r.since_ms) return "no window";
    return format_duration(static_cast<double>(r.until_ms - r.since_ms)) + " of traces";
}

}  // namespace

std::string render_incident_text(const IncidentReport& report, int width) {
    std::string out = fmt::format(
        "Incident · {} · {} traces analysed · {}\n",
        fit(clean(report.service), 120),
        report.traces_analysed,
        window_text(report)
    );
    if (!report.suspects.empty()) {
        const auto& top = report.suspects.front();
        std::string lead = "Suspect: " + heading(top, report.traces_analysed);
        if (!top.evidence.empty()) {
            lead += fmt::format(
                ": {} (trace {})",
                top.evidence.front().text,
                render_detail::short_trace_id(top.evidence.front().trace_id)
            );
        }
        out += "\n";
        paragraph(out, fit(clean(lead), 2 * kMaxText), width, 0);
    }
    if (report.suspects.size() > 1) {
        out += "\nSuspects (most likely first)\n";
        for (std::size_t i = 0; i < report.suspects.size(); ++i) {
            const auto& s = report.suspects[i];
            paragraph(
                out,
                fmt::format("{}. {}", i + 1, clean(heading(s, report.traces_analysed))),
                width,
                2
            );
            for (const auto& e : s.evidence) {
                paragraph(
                    out,
                    fmt::format("trace {}: {}", e.trace_id, fit(clean(e.text), kMaxText)),
                    width,
                    5
                );
            }
        }
    }
    if (!report.endpoints.empty()) {
        out += "\nEndpoints (failing and slow first)\n";
        for (const auto& e : report.endpoints) {
            paragraph(
                out,
                fmt::format(
                    "{} ({}): {} traces, {} failed, {} slower than usual, p50 {}, max {}",
                    fit(clean(e.name), 120),
                    fit(clean(e.service), 80),
                    e.traces,
                    e.failed,
                    e.slower,
                    format_duration(e.p50_ms),
                    format_duration(e.max_ms)
                ),
                width,
                2
            );
        }
    }
    if (!report.changes.empty()) {
        out += "\nChanges\n";
        for (const auto& c : report.changes) {
            std::string text = clean(c.service) + " " + (c.kind == "version" ? "runs" : "deployed");
            if (!c.version.empty()) text += " " + fit(clean(c.version), 80);
            if (!c.previous_version.empty()) {
                text += " (typically " + fit(clean(c.previous_version), 80) + ")";
            }
            paragraph(out, text, width, 2);
        }
    }
    if (!report.notes.empty()) {
        out += "\nNotes\n";
        for (const auto& n : report.notes) paragraph(out, clean(n), width, 2);
    }
    return out;
}

std::string render_incident_json(const IncidentReport& report) {
    Json endpoints = Json::array();
    for (const auto& e : report.endpoints) {
        endpoints.push_back(Json{
            {"service", e.service},
            {"name", e.name},
            {"traces", e.traces},
            {"failed", e.failed},
            {"slower", e.slower},
            {"p50_ms", round_ms(e.p50_ms)},
            {"max_ms", round_ms(e.max_ms)},
        });
    }
    Json suspects = Json::array();
    for (const auto& s : report.suspects) {
        Json evidence = Json::array();
        for (const auto& e : s.evidence) {
            evidence.push_back(Json{
                {"trace_id", e.trace_id}, {"span_ids", e.span_ids}, {"text", e.text}});
        }
        suspects.push_back(Json{
            {"service", s.service},
            {"operation", s.operation},
            {"kind", to_string(s.kind)},
            {"confidence", to_string(s.confidence)},
            {"score", std::round(s.score * 1000) / 1000},
            {"excess_ms", round_ms(s.excess_ms)},
            {"traces_with", s.traces_with},
            {"evidence", std::move(evidence)},
        });
    }
    const Json out{
        {"service", report.service},
        {"window", Json{{"since_ms", report.since_ms}, {"until_ms", report.until_ms}}},
        {"traces_analysed", report.traces_analysed},
        {"endpoints", std::move(endpoints)},
        {"suspects", std::move(suspects)},
        {"changes", render_detail::changes_json(report.changes)},
        {"notes", report.notes},
    };
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace nra
