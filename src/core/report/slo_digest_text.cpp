// SLO review digest → terminal text: per SLO its promise, the plain sentence, the windows as a
// small table, the suggestion with its numbers, what spent the budget and the review; then the
// due reviews. Plain text only (no Slack markup); configuration and New Relic text is cleaned.
#include <fmt/format.h>

#include <algorithm>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"
#include "core/report/slo_digest_parts.hpp"
#include "nra/report/slo_digest.hpp"
#include "nra/report/slo_math.hpp"

namespace nra::slo {
namespace {

namespace rf = report_format;
using render_detail::clean;
using render_detail::fit;
using render_detail::pad_left;
using render_detail::pad_right;

constexpr std::size_t kMaxLines = 8;  // per wrapped paragraph; the rest ends in "…"

struct Out {
    std::size_t width;
    std::string text;

    // Cleaned here, so no name reaches the terminal with controls or bidi characters.
    void line(std::string_view s = {}) { text += fit(clean(s), width) + "\n"; }
    // `text` wrapped under `indent`, the first line after `lead` (same width as indent).
    void para(std::string_view lead, std::string_view indent, std::string_view s) {
        const std::size_t used = render_detail::width_of(indent);
        const std::size_t room = width > used + 20 ? width - used : 20;
        bool first = true;
        for (const std::string& l : render_detail::wrap(clean(s), room, kMaxLines)) {
            line(std::string(first ? lead : indent) + l);
            first = false;
        }
    }
};

void windows_table(Out& out, const DigestEntry& e) {
    if (e.history.empty()) {
        return;
    }
    out.line("  Windows (oldest first):");
    for (const WindowCounts& w : e.history) {
        std::string row = "    " + pad_right(slo_parts::window_range(w), 25);
        const auto att = attainment(w.total, w.bad);
        if (!att) {
            out.line(row + "no data");
            continue;
        }
        const auto met = slo_parts::window_met(e.spec, w);
        const char* status = !met ? "" : (*met ? "met" : "missed");
        out.line(
            row + pad_left(slo::attainment_percent(*att, e.spec.target), 9) + "  " +
            pad_right(status, 8) + slo_parts::budget_text(e.spec, w)
        );
    }
}

void suggestion_lines(Out& out, const DigestEntry& e) {
    out.line("  Suggestion: " + slo_parts::suggestion_label(e.spec, e.advice));
    if (!e.advice.because.empty()) {
        out.para("    ", "    ", e.advice.because);
    }
    if (!e.advice.rule.empty()) {
        out.para("    Rule: ", "          ", e.advice.rule);
    }
    if (const std::string stops = slo_parts::stops_sentence(e.advice); !stops.empty()) {
        out.para("  ", "  ", stops);
    }
}

void spender_lines(Out& out, const DigestEntry& e) {
    if (e.spenders.empty()) {
        return;
    }
    out.line("  What spent the budget:");
    for (const BudgetSpender& s : e.spenders) {
        const std::string figures = slo_parts::spender_figures(e.spec, s);
        const std::size_t room = out.width > figures.size() + 10 ? out.width - figures.size() : 10;
        out.line("    " + render_detail::fit_middle(clean(s.endpoint), room - 6) + ": " + figures);
    }
}

void review_lines(Out& out, const DigestEntry& e) {
    std::string line = "  Owner: " + (e.spec.review.owner.empty() ? std::string("nobody")
                                                                  : clean(e.spec.review.owner));
    if (const std::string review = slo_parts::review_text(e); !review.empty()) {
        line += " · " + review;
    }
    out.line(line);
    if (!e.spec.review.why.empty()) {
        out.para("  Why this target: ", "    ", e.spec.review.why);
    }
    if (e.last_decision) {
        out.para("  ", "    ", slo_parts::decision_text(*e.last_decision, e.last_decision->user));
    }
}

void entry_lines(Out& out, const DigestEntry& e) {
    out.line(clean(e.spec.name));
    if (!e.problem.empty()) {
        out.para("  ! ", "    ", e.problem);
        if (e.overdue_days) {
            out.line("  " + slo_parts::review_text(e));
        }
        out.line();
        return;
    }
    out.para("  ", "  ", slo_parts::spec_line(e.spec));
    if (!e.summary.empty()) {
        out.para("  ", "  ", e.summary);
    }
    windows_table(out, e);
    if (!e.history_note.empty()) {
        out.para("  Note: ", "    ", e.history_note);
    }
    suggestion_lines(out, e);
    spender_lines(out, e);
    review_lines(out, e);
    out.line();
}

}  // namespace

std::string render_digest_text(const Digest& digest, int width) {
    Out out{static_cast<std::size_t>(std::max(width, 40)), {}};
    std::string title = "SLO review: " + clean(digest.scope);
    if (digest.generated_ms > 0) {
        title += " · " + rf::iso_date(digest.generated_ms);
    }
    out.para("", "", title + " · " + slo_parts::counts_text(digest));
    out.line();
    for (const DigestEntry& e : digest.slos) {
        entry_lines(out, e);
    }
    const std::vector<std::string> due = slo_parts::due_names(digest);
    if (due.empty()) {
        out.line("No review is due.");
    } else {
        std::string names;
        for (const std::string& name : due) {
            names += (names.empty() ? "" : ", ") + clean(name);
        }
        out.para("Reviews due: ", "  ", names);
    }
    return std::move(out.text);
}

}  // namespace nra::slo
