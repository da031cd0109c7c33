#include "nra/render/render_incident.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/render/context_text.hpp"
#include "core/render/incident_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"

namespace nra {
namespace {

using Json = nlohmann::ordered_json;
using render_detail::clean;
using render_detail::fit;
using render_detail::Markup;
using render_detail::round_ms;

constexpr std::size_t kMaxText = 400;  // code points of one evidence text

void paragraph(std::string& out, const std::string& text, int width, std::size_t indent) {
    const auto room = static_cast<std::size_t>(std::max(width, 40)) - indent;
    for (const auto& line : render_detail::wrap(text, room, 6)) {
        out += std::string(indent, ' ') + line + "\n";
    }
}

std::string plain(const std::string& marked_text, std::size_t max = 2 * kMaxText) {
    return render_detail::worded(marked_text, Markup::plain, max);
}

Json optional_ms(const std::optional<double>& v) {
    return v ? Json(round_ms(*v)) : Json(nullptr);
}

Json window_json(const EndpointDeviation& d) {
    return Json{
        {"requests", d.requests},
        {"errors", d.errors},
        {"rpm", std::round(d.rpm * 100) / 100},
        {"usual_rpm", std::round(d.usual_rpm * 100) / 100},
        {"error_rate", std::round(d.error_rate * 10000) / 10000},
        {"usual_error_rate", std::round(d.usual_error_rate * 10000) / 10000},
        {"p99_ms", optional_ms(d.p99_ms)},
        {"usual_p99_ms", optional_ms(d.usual_p99_ms)},
        {"failing", d.failing},
        {"slower", d.slower},
        {"quieter", d.quieter},
        {"new", d.is_new},
    };
}

}  // namespace

std::string render_incident_text(const IncidentReport& report, int width) {
    std::string out = fmt::format(
        "Incident · {} · {} traces analysed · {}\n",
        fit(clean(report.service), 120),
        report.traces_analysed,
        render_detail::incident_window_text(report)
    );
    if (!report.suspects.empty()) {
        out += "\n";
        paragraph(out, plain(render_detail::incident_lead(report)), width, 0);
        if (const auto& blast = report.suspects.front().blast) {
            paragraph(out, render_detail::blast_lead(*blast, Markup::plain), width, 0);
        }
    }
    for (const auto& burn : render_detail::other_burns(report)) {
        paragraph(out, render_detail::burn_sentence(burn, Markup::plain), width, 0);
    }
    if (report.suspects.size() > 1) {
        out += "\nSuspects (most likely first)\n";
        for (std::size_t i = 0; i < report.suspects.size(); ++i) {
            const auto& s = report.suspects[i];
            const auto heading = render_detail::incident_heading(s, report.traces_analysed);
            paragraph(out, fmt::format("{}. {}", i + 1, plain(heading)), width, 2);
            if (s.blast && i > 0)
                paragraph(out, render_detail::blast_lead(*s.blast, Markup::plain), width, 5);
            for (const auto& e : s.evidence) {
                paragraph(
                    out, fmt::format("trace {}: {}", e.trace_id, plain(e.text, kMaxText)), width, 5
                );
            }
        }
    }
    if (!report.endpoints.empty()) {
        out += "\nEndpoints (failing and slow first)\n";
        for (const auto& e : report.endpoints) {
            paragraph(out, plain(render_detail::endpoint_line(e)), width, 2);
        }
    }
    if (!report.changes.empty()) {
        out += "\nChanges\n";
        for (const auto& c : report.changes) {
            paragraph(out, plain(render_detail::window_change_text(c)), width, 2);
        }
    }
    if (!report.notes.empty()) {
        out += "\nNotes\n";
        for (const auto& n : report.notes) paragraph(out, plain(n), width, 2);
    }
    return out;
}

std::string render_incident_json(const IncidentReport& report) {
    Json endpoints = Json::array();
    for (const auto& e : report.endpoints) {
        Json one{
            {"service", e.service},
            {"name", e.name},
            {"traces", e.traces},
            {"failed", e.failed},
            {"slower", e.slower},
            {"p50_ms", round_ms(e.p50_ms)},
            {"max_ms", round_ms(e.max_ms)},
        };
        if (e.window) one["window"] = window_json(*e.window);
        endpoints.push_back(std::move(one));
    }
    Json suspects = Json::array();
    for (const auto& s : report.suspects) {
        Json evidence = Json::array();
        for (const auto& e : s.evidence) {
            evidence.push_back(Json{
                {"trace_id", e.trace_id}, {"span_ids", e.span_ids}, {"text", e.text}});
        }
        Json one{
            {"service", s.service},
            {"operation", s.operation},
            {"kind", to_string(s.kind)},
            {"confidence", to_string(s.confidence)},
            {"score", std::round(s.score * 1000) / 1000},
            {"excess_ms", round_ms(s.excess_ms)},
            {"traces_with", s.traces_with},
            {"evidence", std::move(evidence)},
        };
        if (s.blast) one["blast_radius"] = render_detail::blast_radius_json(*s.blast);
        suspects.push_back(std::move(one));
    }
    Json burns = Json::array();
    for (const auto& b : report.slo_burns) {
        burns.push_back(Json{{"slo", b.name}, {"burn_rate", std::round(b.burn_rate * 100) / 100}});
    }
    const Json out{
        {"service", report.service},
        {"window", Json{{"since_ms", report.since_ms}, {"until_ms", report.until_ms}}},
        {"traces_analysed", report.traces_analysed},
        {"endpoints", std::move(endpoints)},
        {"suspects", std::move(suspects)},
        {"changes", render_detail::changes_json(report.changes)},
        {"slo_burns", std::move(burns)},
        {"notes", report.notes},
    };
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace nra
