// Baseline phrases shared by every renderer. Trace-derived names go through clean/fit (plain) or
// mrkdwn/mrkdwn_code (Slack) with explicit budgets, so a lead sentence stays under ~2,500 UTF-16
// units whatever the span names hold.
#include "core/render/baseline_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_set>

#include "core/render/render_util.hpp"

namespace nra::render_detail {
namespace {

constexpr std::size_t kExtraUnusual = 2;  // unusual spans named after the first one
constexpr std::size_t kPlainNameCp = 80;
constexpr std::size_t kPlainServiceCp = 40;
constexpr std::size_t kSlackNameUnits = 300;
constexpr std::size_t kSlackServiceUnits = 150;

std::string bold(std::string_view text, Markup markup) {
    return markup == Markup::mrkdwn ? "*" + std::string(text) + "*" : std::string(text);
}

std::string span_name(std::string_view name, Markup markup) {
    if (is_blank(name)) {
        return markup == Markup::mrkdwn ? "_(unnamed span)_" : "(unnamed span)";
    }
    if (markup == Markup::mrkdwn) {
        return "`" + mrkdwn_code(name, kSlackNameUnits) + "`";
    }
    return "`" + fit_middle(clean(name), kPlainNameCp) + "`";
}

std::string service_of(std::string_view service, Markup markup) {
    const std::string name = service_name(service);
    return markup == Markup::mrkdwn ? mrkdwn(name, kSlackServiceUnits) : fit(name, kPlainServiceCp);
}

std::string sentence_text(std::string_view text, Markup markup) {
    return markup == Markup::mrkdwn ? mrkdwn(text, 600) : fit(clean(text), 300);
}

std::string window_suffix(const BaselineOverview& overview) {
    return is_blank(overview.window) ? std::string() : " (" + clean(overview.window) + ")";
}

// "900 ms", or "up to 1.00 s in 2 calls" when several spans of the operation were unusual.
std::string took(const BaselineOverview::Unusual& span) {
    std::string longest = format_duration(span.baseline.duration_ms);
    if (span.spans <= 1) return longest;
    return "up to " + longest + " in " + std::to_string(span.spans) + " calls";
}

// "`SELECT inventory` (inventory-service) took 900 ms, usually 35 ms (p99 80 ms), 26× slower"
std::string first_unusual(const BaselineOverview::Unusual& span, Markup markup) {
    const Baseline& b = span.baseline;
    std::string out = span_name(span.name, markup) + " (" + service_of(span.service, markup) +
                      ") took " + took(span) + ", usually " + format_duration(b.p50_ms);
    if (b.p99_ms > 0) {
        out += " (p99 " + format_duration(b.p99_ms) + ")";
    }
    if (const std::string ratio = format_ratio(b.ratio); !ratio.empty()) {
        out += ", " + ratio + "× slower";
    }
    return out;
}

std::string unusual_sentence(const Summary& summary, Markup markup) {
    const BaselineOverview& o = summary.baseline;
    std::string out = bold(
        format_duration(o.unusual_ms) + " of this " + format_duration(summary.duration_ms) +
            " request is unusual",
        markup
    );
    if (o.request && o.request->verdict == BaselineVerdict::slower) {
        out += " (it usually takes " + format_duration(o.request->p50_ms) + ")";
    }
    if (o.unusual.empty()) {
        return out + ".";
    }
    out += ": " + first_unusual(o.unusual.front(), markup);
    const std::size_t named = std::min(o.unusual.size(), kExtraUnusual + 1);
    for (std::size_t i = 1; i < named; ++i) {
        const auto& span = o.unusual[i];
        out += "; also " + span_name(span.name, markup) + " " + took(span) + ", usually " +
               format_duration(span.baseline.p50_ms);
    }
    if (o.unusual.size() > named) {
        out += "; and " + counted(o.unusual.size() - named, "more span");
    }
    return out + ".";
}

// The sentence when nothing (or nothing that cost time) is slower than usual.
std::string usual_sentence(const Summary& summary) {
    const BaselineOverview& o = summary.baseline;
    std::string out;
    if (o.judged_spans <= 0) {
        return "No span here has enough history to compare with" + window_suffix(o) + ".";
    }
    if (o.slower_spans > 0) {
        out = counted(static_cast<std::size_t>(o.slower_spans), "span") +
              (o.slower_spans == 1 ? " was" : " were") + " slower than usual" + window_suffix(o) +
              ", without adding to this request's time.";
    } else {
        out = "Nothing here is slower than usual" + window_suffix(o) +
              ": the spans with a baseline took their usual time.";
    }
    if (o.request && o.request->p50_ms > 0) {
        out += " This request usually takes " + format_duration(o.request->p50_ms);
        out += o.request->p99_ms > 0 ? " (p99 " + format_duration(o.request->p99_ms) + ")." : ".";
    }
    return out;
}

// "`X` was unusually fast: 1 ms, usually 35 ms." for the span furthest below its usual time.
std::string faster_sentence(const Summary& summary, Markup markup) {
    std::unordered_set<std::string_view> seen;
    const std::string* best_name = nullptr;
    const Baseline* best = nullptr;
    std::size_t count = 0;
    const auto consider = [&](const std::string& id, const std::string& name, const auto& b) {
        if (!b || b->verdict != BaselineVerdict::faster || !seen.insert(id).second) {
            return;
        }
        ++count;
        if (best == nullptr || b->p50_ms - b->duration_ms > best->p50_ms - best->duration_ms) {
            best = &*b;
            best_name = &name;
        }
    };
    for (const auto& segment : summary.critical_path) {
        consider(segment.span_id, segment.name, segment.baseline);
    }
    for (const auto& span : summary.slow_spans) {
        consider(span.span_id, span.name, span.baseline);
    }
    if (best == nullptr) {
        return {};
    }
    std::string out = span_name(*best_name, markup) +
                      " was unusually fast: " + format_duration(best->duration_ms) + ", usually " +
                      format_duration(best->p50_ms);
    if (count > 1) {
        out += fmt::format(
            "; {} {} too", counted(count - 1, "more span"), count == 2 ? "was" : "were"
        );
    }
    return out + ".";
}

}  // namespace

std::string format_ratio(double ratio) {
    if (!std::isfinite(ratio) || ratio <= 0) {
        return {};
    }
    if (ratio >= 9999.5) {
        return "10000+";
    }
    if (ratio >= 9.95) {
        return fmt::format("{:.0f}", ratio);
    }
    std::string out = fmt::format("{:.1f}", ratio);
    if (out.size() > 2 && out.ends_with(".0")) {
        out.resize(out.size() - 2);
    }
    return out;
}

std::string usual_note(const Baseline& baseline) {
    const std::string usually = "(usually " + format_duration(baseline.p50_ms) + ")";
    switch (baseline.verdict) {
        case BaselineVerdict::slower: {
            const std::string ratio = format_ratio(baseline.ratio);
            return (ratio.empty() ? std::string("slower") : "×" + ratio) + " " + usually;
        }
        case BaselineVerdict::faster:
            return "fast " + usually;
        case BaselineVerdict::normal:
            return "usual";
        case BaselineVerdict::no_baseline:
            break;
    }
    return {};
}

std::string usual_note(const std::optional<Baseline>& baseline) {
    return baseline ? usual_note(*baseline) : std::string();
}

std::string slower_tag(const Baseline& baseline) {
    if (baseline.verdict != BaselineVerdict::slower) {
        return {};
    }
    const std::string ratio = format_ratio(baseline.ratio);
    return ratio.empty() ? std::string("slower") : "×" + ratio;
}

BaselineLead baseline_lead(const Summary& summary, Markup markup) {
    const BaselineOverview& o = summary.baseline;
    BaselineLead lead;
    switch (o.state) {
        case BaselineOverview::State::not_asked:
            if (!is_blank(o.note)) {
                lead.note = "No baseline: " + sentence_text(o.note, markup);
            }
            return lead;
        case BaselineOverview::State::unavailable:
            lead.note = "No baseline: " + (is_blank(o.note)
                                               ? std::string("the usual durations are unavailable.")
                                               : sentence_text(o.note, markup));
            return lead;
        case BaselineOverview::State::applied:
            break;
    }
    lead.sentence = o.slower_spans > 0 && o.unusual_ms >= 1 ? unusual_sentence(summary, markup)
                                                            : usual_sentence(summary);
    if (const std::string faster = faster_sentence(summary, markup); !faster.empty()) {
        lead.sentence += " " + faster;
    }
    if (!is_blank(o.note)) {
        lead.note = sentence_text(o.note, markup);
    }
    return lead;
}

std::string_view context_label(FindingContext context) {
    switch (context) {
        case FindingContext::standing:
            return "standing issue, usual for this request";
        case FindingContext::unusual:
            return "unusual in this trace";
        case FindingContext::unknown:
            break;
    }
    return {};
}

std::string_view context_tag(FindingContext context) {
    switch (context) {
        case FindingContext::standing:
            return "[standing]";
        case FindingContext::unusual:
            return "[unusual]";
        case FindingContext::unknown:
            break;
    }
    return {};
}

std::string unusual_fact(const Summary& summary) {
    const BaselineOverview& o = summary.baseline;
    if (o.state != BaselineOverview::State::applied || !(o.unusual_ms >= 1)) {
        return {};
    }
    std::string out = format_duration(o.unusual_ms);
    if (!o.unusual.empty()) {
        out += " in " + span_name(o.unusual.front().name, Markup::mrkdwn);
        if (o.unusual.size() > 1) {
            out += " and " + counted(o.unusual.size() - 1, "more span");
        }
    }
    return out;
}

std::string unusual_amount(const BaselineOverview& overview) {
    if (overview.state != BaselineOverview::State::applied || !(overview.unusual_ms >= 1)) {
        return {};
    }
    return format_duration(overview.unusual_ms) + " unusual";
}

std::string_view state_name(BaselineOverview::State state) {
    switch (state) {
        case BaselineOverview::State::unavailable:
            return "unavailable";
        case BaselineOverview::State::applied:
            return "applied";
        case BaselineOverview::State::not_asked:
            break;
    }
    return "not_asked";
}

}  // namespace nra::render_detail
