// Report → terminal text: headline, SLOs, a ranked endpoint table, then breaches, change and
// reasons per endpoint. Every line fits `width` columns; report text is cleaned of control bytes.
#include <fmt/format.h>

#include <algorithm>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"
#include "core/report/report_text.hpp"
#include "nra/report/render_report.hpp"

namespace nra {
namespace {

namespace rf = report_format;
using render_detail::clean;
using render_detail::fit;
using render_detail::fit_middle;
using render_detail::pad_left;
using render_detail::pad_right;
using render_detail::wrap;

class Page {
public:
    explicit Page(std::size_t width) : width_(width) {}
    // Cleaned here, so no name reaches the terminal with controls or bidi characters.
    void line(std::string_view text = {}) { out_ += fit(clean(text), width_) + "\n"; }
    // Wrapped under an indent (the first line gets `first` instead).
    void wrapped(std::string_view first, std::string_view indent, std::string_view text) {
        const std::size_t room = width_ > first.size() + 10 ? width_ - first.size() : 10;
        bool head = true;
        for (const std::string& l : wrap(clean(text), room, 6)) {
            line(std::string(head ? first : indent) + l);
            head = false;
        }
    }
    std::size_t width() const { return width_; }
    std::string str() && { return std::move(out_); }

private:
    std::size_t width_;
    std::string out_;
};

void slo_lines(Page& page, const Report& report) {
    if (report.slos.empty()) {
        return;
    }
    page.line("SLOs");
    for (const SloReport& s : report.slos) {
        page.wrapped("  ", "    ", report_text::slo_sentence(s));
    }
    page.line();
}

// The impact cell: a compact share and what it is a share of, so the column never mixes
// dissatisfied requests with error budget and never runs into its neighbour (a burned budget can
// be 2,500 %). The legend under the table spells the tags out.
std::string impact_cell(const EndpointReport& e) {
    if (e.impact <= 0 || e.impact_basis.empty()) return "–";
    const std::string share = e.impact >= 999.995 ? ">99,999 %" : rf::short_percent(e.impact);
    const std::string_view tag = e.impact_basis == "error_budget"     ? "err-budget"
                                 : e.impact_basis == "latency_budget" ? "lat-budget"
                                 : e.impact_basis == "excess_latency" ? "excess"
                                                                      : "dissat";
    return share + " " + std::string(tag);
}

constexpr std::size_t kImpactWidth = 21;  // ">99,999 % err-budget"

void table(Page& page, const Report& report) {
    const std::size_t fixed = 4 + 10 + 11 + 9 + 7 + kImpactWidth + 2;
    const std::size_t name_width = page.width() > fixed + 12 ? page.width() - fixed : 12;
    page.line(fmt::format(
        "{}{}{}{}{}{}{}",
        pad_right("  #", 4),
        pad_right("Endpoint", name_width),
        pad_left("rpm", 10),
        pad_left("p95", 11),
        pad_left("errors", 9),
        pad_left("Apdex", 7),
        pad_left("impact", kImpactWidth)
    ));
    bool impact = false;
    for (std::size_t i = 0; i < report.endpoints.size(); ++i) {
        const EndpointReport& e = report.endpoints[i];
        const EndpointStats& s = e.stats;
        impact = impact || e.impact > 0;
        page.line(fmt::format(
            "{}{}{}{}{}{}{}",
            pad_left(std::to_string(i + 1), 3) + " ",
            pad_right(fit_middle(clean(s.name), name_width - 1), name_width),
            pad_left(rf::rpm(s.throughput_rpm), 10),
            pad_left(s.p95_ms ? rf::ms(*s.p95_ms) : "–", 11),
            pad_left(s.count > 0 ? rf::percent(s.error_rate()) : "–", 9),
            pad_left(s.apdex() ? rf::apdex(*s.apdex()) : "–", 7),
            pad_left(fit(impact_cell(e), kImpactWidth - 1), kImpactWidth)
        ));
    }
    if (impact) {
        page.wrapped(
            "  impact: ",
            "          ",
            "share of the service's dissatisfied requests (dissat), of an SLO's error or latency "
            "budget (err-budget, lat-budget), or of the service's time that is excess latency here "
            "(excess)"
        );
    }
    page.line();
}

void endpoint_detail(Page& page, const EndpointReport& e, std::size_t index) {
    page.line(fmt::format("{}. {}", index + 1, clean(e.stats.name)));
    if (e.low_traffic) {
        page.wrapped("   ", "   ", report_text::low_traffic_sentence(e));
    }
    for (const Breach& b : e.breaches) {
        page.wrapped("   ! ", "     ", rf::breach_text(b));
    }
    if (const std::string impact = rf::impact_text(e); !impact.empty()) {
        page.wrapped("   Impact: ", "           ", impact);
    }
    if (!e.low_traffic && e.breaches.empty()) {
        page.line("   Meets its targets.");
    }
    if (e.previous || e.change == Change::new_breach) {
        page.wrapped(
            "   Change: ",
            "           ",
            rf::change_text(e) + (e.previous ? " — before: " + rf::figures_line(*e.previous) : "")
        );
    }
    for (const Suggestion& s : e.suggestions) {
        page.wrapped("   Why: ", "        ", report_text::suggestion_sentence(s));
        if (!s.code_url.empty()) {
            page.line("        " + clean(s.code_url));
        }
    }
    if (!e.sample_trace_ids.empty()) {
        std::string ids;
        for (const std::string& id : e.sample_trace_ids) {
            ids += (ids.empty() ? "" : ", ") + clean(id);
        }
        page.wrapped("   Traces: ", "           ", ids);
    }
}

}  // namespace

std::string render_report_text(const Report& report, int width) {
    Page page(static_cast<std::size_t>(std::max(width, 40)));
    page.wrapped("", "", report_text::title(report));
    page.wrapped("", "", report_text::headline(report));
    page.line();
    slo_lines(page, report);
    if (!report.endpoints.empty()) {
        page.line(
            report.breaching > 0 ? "Endpoints (breaching first, by impact)"
                                 : "Endpoints (by share of time)"
        );
        table(page, report);
        for (std::size_t i = 0; i < report.endpoints.size(); ++i) {
            endpoint_detail(page, report.endpoints[i], i);
        }
        page.line();
    }
    for (const std::string& note : report.notes) {
        page.wrapped("Note: ", "      ", note);
    }
    return std::move(page).str();
}

}  // namespace nra
