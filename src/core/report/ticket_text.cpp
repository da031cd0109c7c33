// Report → Jira ticket draft (ticket_text.hpp). Plain structured text as TicketDraft documents it:
// paragraphs, "- " bullets, `code` spans and <url|label> links. Trace-derived text is cleaned so
// a newline in a statement can never start a new paragraph or bullet.
#include "nra/report/ticket_text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"
#include "core/report/report_text.hpp"
#include "nra/report/report_build.hpp"

namespace nra {
namespace {

namespace rf = report_format;
using render_detail::clean;
using render_detail::fit;
using render_detail::fit_middle;

constexpr std::size_t kMaxSummary = 255;  // Jira's summary field limit

// `text` as an inline code span: cleaned, clipped, backticks turned into apostrophes.
std::string code(std::string_view text, std::size_t max_cp) {
    std::string out = fit(clean(text), max_cp);
    std::replace(out.begin(), out.end(), '`', '\'');
    return "`" + out + "`";
}

std::string summary_line(const Report& report, const EndpointReport& e) {
    const Breach* primary = nullptr;
    const std::string kind = primary_breach_kind(e);
    for (const Breach& b : e.breaches) {
        if (b.metric == kind) {
            primary = &b;
        }
    }
    const std::string what = primary != nullptr ? rf::breach_text(*primary) : "review";
    const std::string head = "[nr-analyzer] " + fit(clean(report.service), 60) + " ";
    const std::size_t used = render_detail::width_of(head) + 2 + render_detail::width_of(what);
    const std::size_t room = kMaxSummary > used + 20 ? kMaxSummary - used : 20;
    return fit(head + fit_middle(clean(e.stats.name), room) + ": " + what, kMaxSummary);
}

std::string figures_paragraph(const EndpointReport& e) {
    const EndpointStats& s = e.stats;
    std::string out =
        fmt::format("Figures: {} requests ({})", rf::thousands(s.count), rf::rpm(s.throughput_rpm));
    for (const auto& [label, value] :
         {std::pair{"p50", s.p50_ms}, std::pair{"p95", s.p95_ms}, std::pair{"p99", s.p99_ms}}) {
        if (value) {
            out += fmt::format(", {} {}", label, rf::ms(*value));
        }
    }
    if (s.count > 0) {
        out += ", errors " + rf::percent(s.error_rate());
    }
    if (const auto a = s.apdex()) {
        out += ", Apdex " + rf::apdex(*a);
    }
    out += ".";
    if (const std::string impact = rf::impact_text(e); !impact.empty()) {
        out += " Impact: " + impact + ".";
    }
    if (e.previous) {
        out += " Versus the window before: " + rf::change_text(e) + " (then " +
               rf::figures_line(*e.previous) + ").";
    }
    return out;
}

std::string breach_bullets(const EndpointReport& e) {
    std::string out;
    for (const Breach& b : e.breaches) {
        out += "- " + rf::breach_text(b) + "\n";
    }
    if (out.empty()) {
        out = e.low_traffic ? "- " + report_text::low_traffic_sentence(e) + "\n"
                            : "- No threshold is broken right now.\n";
    }
    out.pop_back();
    return out;
}

std::string suggestion_bullet(const Suggestion& s) {
    std::string out = "- " + report_text::kind_label(s.kind);
    if (!s.service.empty()) {
        out += " in " + code(s.service, 100);
    }
    if (!s.what.empty()) {
        out += ": " + code(s.what, 300);
    }
    out += " (" + report_text::suggestion_figures(s) + ").";
    if (!s.advice.empty()) {
        out += " " + fit(clean(s.advice), 400);
    }
    if (s.code_url.starts_with("https://") || s.code_url.starts_with("http://")) {
        std::string url = clean(s.code_url);
        std::replace(url.begin(), url.end(), '|', '!');  // keep the <url|label> syntax intact
        std::replace(url.begin(), url.end(), '>', '!');
        out += " <" + url + "|source>";
    }
    return out;
}

std::string reasons_paragraphs(const EndpointReport& e) {
    if (e.suggestions.empty()) {
        return {};
    }
    std::string out = fmt::format(
        "\n\nWhy, from the {} slowest sampled traces:\n\n", e.suggestions.front().traces_sampled
    );
    for (const Suggestion& s : e.suggestions) {
        out += suggestion_bullet(s) + "\n";
    }
    out.pop_back();
    if (!e.sample_trace_ids.empty()) {
        std::string ids;
        for (const std::string& id : e.sample_trace_ids) {
            ids += (ids.empty() ? "" : ", ") + code(id, 64);
        }
        out += "\n\nSampled traces: " + ids;
    }
    return out;
}

std::string slo_paragraphs(const Report& report) {
    if (report.slos.empty()) {
        return {};
    }
    std::string out = "\n\nSLOs of " + clean(report.service) + ":\n";
    for (const SloReport& s : report.slos) {
        out += "\n- " + clean(report_text::slo_sentence(s));
    }
    return out;
}

std::vector<std::string> labels_for(const ImproveConfig& config, const std::string& fingerprint) {
    std::vector<std::string> labels;
    for (std::string label : config.jira.labels) {
        // Jira labels cannot contain spaces.
        std::replace_if(
            label.begin(), label.end(), [](char c) { return c == ' ' || c == '\t'; }, '-'
        );
        if (!label.empty() && std::find(labels.begin(), labels.end(), label) == labels.end()) {
            labels.push_back(std::move(label));
        }
    }
    if (std::find(labels.begin(), labels.end(), fingerprint) == labels.end()) {
        labels.push_back(fingerprint);
    }
    return labels;
}

}  // namespace

TicketDraft make_ticket(
    const Report& report, const EndpointReport& endpoint, const ImproveConfig& config
) {
    TicketDraft draft;
    const std::string kind = primary_breach_kind(endpoint);
    draft.fingerprint =
        ticket_fingerprint(report.service, endpoint.stats.name, kind.empty() ? "review" : kind);
    draft.summary = summary_line(report, endpoint);
    const std::string where = code(endpoint.stats.name, 500) + " in " + code(report.service, 100);
    const std::string window = rf::window_text(report.window);
    draft.description = fmt::format(
        "{} {} in the report window {}.\n\n{}\n\n{}{}{}\n\nOpened by nr-analyzer "
        "from the /improve report. While this ticket is open, later reports add a comment here "
        "instead of opening another one (fingerprint {}).",
        where,
        endpoint.breaches.empty() ? "is up for review" : "breaks its targets",
        window,
        breach_bullets(endpoint),
        figures_paragraph(endpoint),
        reasons_paragraphs(endpoint),
        slo_paragraphs(report),
        draft.fingerprint
    );
    draft.comment = fmt::format(
        "Still open in the report window {}:\n\n{}\n\n{}{}",
        window,
        breach_bullets(endpoint),
        figures_paragraph(endpoint),
        reasons_paragraphs(endpoint)
    );
    draft.labels = labels_for(config, draft.fingerprint);
    return draft;
}

}  // namespace nra
