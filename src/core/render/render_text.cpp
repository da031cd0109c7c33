// Terminal rendering: a page meant to be read in ten seconds, every line within options.width
// code points (TextPage::line enforces it, whatever the sections build), no ANSI colors.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/render/baseline_text.hpp"
#include "core/render/context_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"
#include "nra/render/render.hpp"

namespace nra {
namespace {

using namespace render_detail;

constexpr std::size_t kMaxServices = 8;
constexpr std::size_t kMaxFindings = 10;
constexpr std::size_t kMaxErrors = 8;
constexpr std::size_t kMaxSlowSpans = 5;
constexpr std::size_t kMinLayoutWidth = 40;
constexpr std::size_t kMaxUsualWidth = 24;

class TextPage {
public:
    explicit TextPage(int width)
        : width_(width > 0 ? static_cast<std::size_t>(width) : 100),
          layout_(std::max(width_, kMinLayoutWidth)) {}

    // Width that sections lay themselves out for (the final cut still honours width_).
    std::size_t layout() const { return layout_; }
    void line(std::string_view text) {
        // Cleaned once more here: no section can let a control or bidi character through.
        std::string row = fit(clean(text), width_);
        row.erase(row.find_last_not_of(' ') + 1);  // bars pad with spaces: keep lines clean
        out_ += row;
        out_ += '\n';
    }
    void gap() {
        if (!out_.empty()) {
            out_ += '\n';
        }
    }
    void section(std::string_view title) {
        gap();
        line(title);
    }
    // Word-wrapped paragraph behind a fixed indent.
    void paragraph(std::string_view text, std::size_t indent, std::size_t max_lines) {
        const std::size_t room = layout_ > indent + 10 ? layout_ - indent : 10;
        for (const auto& row : wrap(text, room, max_lines)) {
            line(std::string(indent, ' ') + row);
        }
    }
    std::string take() { return std::move(out_); }

private:
    std::size_t width_;
    std::size_t layout_;
    std::string out_;
};

constexpr std::size_t kMaxServiceWidth = 30;  // long names must not push the numbers away

// "service · operation" in at most `room` code points, the operation cut in its middle.
std::string span_label(const std::string& service, const std::string& name, std::size_t room) {
    const std::string s = fit(clean(service), kMaxServiceWidth);
    const std::string prefix = s.empty() ? s : s + " · ";
    const std::size_t used = width_of(prefix);
    return prefix + fit_middle(clean(name), room > used + 8 ? room - used : 8);
}

void write_header(TextPage& page, const Summary& summary) {
    const std::string rest = fmt::format(
        " · {} · {} · {} · {}",
        format_trace_duration(summary),
        counted(static_cast<std::size_t>(summary.span_count), "span"),
        counted(static_cast<std::size_t>(summary.service_count), "service"),
        summary.complete ? "COMPLETE" : "INCOMPLETE"
    );
    const std::size_t used = width_of("Trace ") + width_of(rest);
    const std::size_t id_room = page.layout() > used + 8 ? page.layout() - used : 8;
    const std::string id = summary.trace_id.empty() ? "(no id)" : clean(summary.trace_id);
    page.line("Trace " + fit(id, id_room) + rest);

    std::string request = clean(summary.request);
    if (request.empty()) {
        request = span_label(summary.root.service, summary.root.name, page.layout() - 9);
    }
    if (!request.empty()) {
        page.line("Request  " + request);
    }
    if (!summary.path.empty()) {
        std::string joined;
        for (const auto& service : summary.path) {
            joined += (joined.empty() ? "" : " → ") + service_name(service);
        }
        const auto rows = wrap(joined, page.layout() - 9, 2);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            page.line((i == 0 ? "Path     " : "         ") + rows[i]);
        }
    }
    if (summary.span_count == 0) {
        page.line("No spans in this trace.");
    }
}

constexpr std::string_view kNoBreakSpace = "\u00A0";

// The space of a duration ("35.0 ms") as a no-break space, so wrap (which splits on plain spaces
// only) never leaves a number at the end of one line and its unit on the next.
std::string glue_durations(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const bool after_digit = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9';
        bool unit = false;
        for (const std::string_view u : {"ms", "µs", "s", "min", "h"}) {
            const std::size_t end = i + 1 + u.size();
            unit = unit || (text.substr(i + 1, u.size()) == u &&
                            (end >= text.size() ||
                             std::string_view(" ,.;:)").find(text[end]) != std::string_view::npos));
        }
        out += text[i] == ' ' && after_digit && unit ? kNoBreakSpace : text.substr(i, 1);
    }
    return out;
}

// A paragraph of the lead, wrapped with its durations kept whole.
void lead_paragraph(TextPage& page, std::string_view text, std::size_t max_lines) {
    for (std::string row : wrap(glue_durations(text), page.layout(), max_lines)) {
        for (std::size_t at = row.find(kNoBreakSpace); at != std::string::npos;
             at = row.find(kNoBreakSpace, at)) {
            row.replace(at, kNoBreakSpace.size(), " ");
        }
        page.line(row);
    }
}

// What is different in this request, before anything else (nothing when baselines were never
// asked for and nobody said why).
void write_baseline_lead(TextPage& page, const Summary& summary) {
    const BaselineLead lead = baseline_lead(summary, Markup::plain);
    if (lead.sentence.empty() && lead.note.empty()) {
        return;
    }
    page.gap();
    if (!lead.sentence.empty()) {
        lead_paragraph(page, lead.sentence, 8);
    }
    if (!lead.note.empty()) {
        lead_paragraph(page, lead.note, 3);
    }
}

// A titled list of items of several lines (a name, then its lines), each line wrapped under its
// own indent, nothing when there are no items.
void write_list(TextPage& page, std::string_view title, const std::vector<std::string>& items) {
    if (!items.empty()) page.section(title);
    for (const auto& item : items) {
        for (std::size_t from = 0; from <= item.size();) {
            const auto end = std::min(item.find('\n', from), item.size());
            const std::size_t indent = from == 0 ? 2 : 4;
            const auto rows = wrap(item.substr(from, end - from), page.layout() - indent - 2, 3);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                page.line(std::string(indent + (i == 0 ? 0 : 2), ' ') + rows[i]);
            }
            from = end + 1;
        }
    }
}

// Where the fault most likely is, before everything else (the others are listed later).
void write_suspect_lead(TextPage& page, const Summary& summary) {
    if (summary.suspects.empty()) return;  // "Inconclusive" stays among the notes
    page.gap();
    lead_paragraph(page, suspect_lead(summary, Markup::plain), 5);
}

// Typical request, changes, one request or many, the SLO's burn, the failing span's log line.
void write_context_lead(TextPage& page, const Summary& summary) {
    const ContextLead l = context_lead(summary, Markup::plain);
    bool first = true;
    for (const auto* text : {&l.typical, &l.changes, &l.blast, &l.slo, &l.first_log, &l.missing}) {
        if (text->empty()) continue;
        if (first) page.gap();
        first = false;
        lead_paragraph(page, *text, 4);
    }
}

void write_services(TextPage& page, const Summary& summary) {
    if (summary.services.empty()) {
        return;
    }
    page.section("Where the time went (self time by service)");
    double total = 0;
    std::size_t name_width = 8;
    for (const auto& s : summary.services) {
        total += std::isfinite(s.self_ms) ? std::max(s.self_ms, 0.0) : 0.0;
        name_width = std::max(name_width, width_of(service_name(s.service)));
    }
    name_width = std::min(name_width, page.layout() / 3);
    const std::size_t fixed = 2 + name_width + 2 + 9 + 2 + 6 + 2;
    const std::size_t bar_width =
        page.layout() > fixed ? std::min<std::size_t>(page.layout() - fixed, 30) : 0;
    const std::size_t shown = std::min(kMaxServices, summary.services.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& s = summary.services[i];
        const double share = total > 0 ? std::max(s.self_ms, 0.0) / total : 0.0;
        page.line(
            "  " + pad_right(service_name(s.service), name_width) + "  " +
            pad_left(format_duration(s.self_ms), 9) + "  " +
            pad_left(fmt::format("{:.1f}%", share * 100.0), 6) + "  " + share_bar(share, bar_width)
        );
    }
    if (shown < summary.services.size()) {
        page.line("  " + and_more(summary.services.size() - shown, "service"));
    }
}

void write_finding(TextPage& page, std::size_t index, const Finding& finding) {
    std::string head = fmt::format("  {}. ", index + 1);
    if (const std::string_view tag = context_tag(finding.context); !tag.empty()) {
        head += std::string(tag) + " ";  // first, so a narrow terminal never cuts it
    }
    head += kind_label(finding.kind);
    if (!finding.service.empty()) {
        head += " in " + fit(clean(finding.service), kMaxServiceWidth);
    }
    if (const std::string saving = format_saving(finding.saving_ms); !saving.empty()) {
        head += " — saves " + saving;
    }
    if (finding.count > 0) {
        head += fmt::format(
            " ({}, {})",
            counted(static_cast<std::size_t>(finding.count), "span"),
            format_duration(finding.total_ms)
        );
    }
    page.line(head);
    page.paragraph(clean(finding.summary), 5, 3);
    if (!finding.statement.empty()) {
        page.line("     Statement: " + clean(finding.statement));
    }
    if (!finding.suggestion.empty()) {
        page.paragraph("Fix: " + clean(finding.suggestion), 5, 2);
    }
    if (!finding.location.empty()) {
        page.line("     At: " + clean(finding.location));
    }
}

void write_findings(TextPage& page, const Summary& summary) {
    if (summary.findings.empty()) {
        if (summary.span_count > 0) {
            page.section("Findings: none (no known slow pattern matched)");
        }
        return;
    }
    page.section(fmt::format("Findings ({})", summary.findings.size()));
    const std::size_t shown = std::min(kMaxFindings, summary.findings.size());
    for (std::size_t i = 0; i < shown; ++i) {
        write_finding(page, i, summary.findings[i]);
    }
    if (shown < summary.findings.size()) {
        page.line(
            "  " + and_more(summary.findings.size() - shown, "finding") +
            " (--format json lists them all)"
        );
    }
}

void write_errors(TextPage& page, const Summary& summary) {
    if (summary.errors.empty()) {
        return;
    }
    page.section(fmt::format("Errors ({})", summary.errors.size()));
    const std::size_t shown = std::min(kMaxErrors, summary.errors.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& error = summary.errors[i];
        std::string head = error.origin ? "  ✖ ORIGIN  " : "  ✖         ";
        head += span_label(error.service, error.name, page.layout() - 27);
        if (error.http_status != 0) {
            head += fmt::format(" · HTTP {}", error.http_status);
        }
        page.line(head);
        std::string detail = clean(error.error_class);
        if (!error.message.empty()) {
            detail += (detail.empty() ? "" : ": ") + clean(error.message);
        }
        page.paragraph(detail, 12, 2);
    }
    if (shown < summary.errors.size()) {
        page.line("  " + and_more(summary.errors.size() - shown, "error"));
    }
}

void write_slow_spans(TextPage& page, const Summary& summary) {
    if (summary.slow_spans.empty()) {
        return;
    }
    page.section("Slowest spans (self time / total)");
    const std::size_t shown = std::min(kMaxSlowSpans, summary.slow_spans.size());
    std::size_t usual = 0;  // the "vs usual" column, only once baselines are applied
    for (std::size_t i = 0; i < shown; ++i) {
        usual = std::max(usual, width_of(usual_note(summary.slow_spans[i].baseline)));
    }
    usual = std::min(usual, kMaxUsualWidth);
    const std::size_t used = 25 + (usual > 0 ? usual + 2 : 0);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto& span = summary.slow_spans[i];
        const std::string note =
            usual > 0 ? pad_right(fit(usual_note(span.baseline), usual), usual) + "  " : "";
        page.line(
            "  " + pad_left(format_duration(span.self_ms), 9) + " / " +
            pad_right(format_duration(span.duration_ms), 9) + "  " + note +
            span_label(span.service, span.name, page.layout() > used + 8 ? page.layout() - used : 8)
        );
    }
    if (shown < summary.slow_spans.size()) {
        page.line("  " + and_more(summary.slow_spans.size() - shown, "span"));
    }
}

void write_path(TextPage& page, const Summary& summary, const RenderOptions& options) {
    const auto rows = waterfall_rows(summary, page.layout(), options.max_path_rows);
    if (rows.empty()) {
        return;
    }
    page.section(
        "Critical path (" + counted(waterfall_size(summary), waterfall_noun(summary)) + ")"
    );
    for (const auto& row : rows) {
        page.line(row);
    }
}

void write_notes(TextPage& page, const Summary& summary, const RenderOptions& options) {
    const auto notes = display_notes(summary);
    if (!notes.empty()) {
        page.section("Notes");
        for (const auto& note : notes) {
            const auto rows = wrap(clean(note), page.layout() - 4, 3);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                page.line((i == 0 ? "  • " : "    ") + rows[i]);
            }
        }
    }
    if (!options.trace_link.empty()) {
        const std::string link = clean(options.trace_link);
        page.section("New Relic");
        page.line("  " + link);
    }
}

}  // namespace

std::string render_text(const Summary& summary, const RenderOptions& options) {
    TextPage page(options.width);
    write_header(page, summary);
    write_suspect_lead(page, summary);
    write_baseline_lead(page, summary);
    write_context_lead(page, summary);
    if (summary.suspects.size() > 1) {
        write_list(page, "Suspects (most likely first)", suspect_items(summary, Markup::plain));
    }
    write_services(page, summary);
    write_findings(page, summary);
    write_errors(page, summary);
    write_list(
        page,
        fmt::format("Error and warning logs ({} lines in all)", summary.logs.size()),
        log_items(summary, Markup::plain, 6, 3)
    );
    write_list(page, "Compared with a typical request", typical_items(summary, Markup::plain, {}));
    write_list(page, "Changes", change_items(summary, Markup::plain));
    write_slow_spans(page, summary);
    write_path(page, summary, options);
    write_notes(page, summary, options);
    return page.take();
}

}  // namespace nra
