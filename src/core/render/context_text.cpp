#include "core/render/context_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>

#include "core/render/render_util.hpp"
#include "core/render/typical_text.hpp"
#include "nra/render/render.hpp"

namespace nra::render_detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kLogMessageShown = 300;  // code points of one log line in a message

std::string named(const std::string& name, Markup markup) {
    if (markup == Markup::plain) return fit(clean(name), 200);
    return "`" + mrkdwn_code(name, 400) + "`";
}

}  // namespace

std::string burn_sentence(const SloBurn& burn, Markup markup) {
    return slo_burn_sentence(burn, named(burn.name, markup));
}

namespace {

std::string clock_of(std::int64_t ms) {
    const auto seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:02}:{:02}:{:02}.{:03}", tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

// "ERROR 14:02:03.120 payment declined …": the level (ours, upper-cased) and the message, cleaned,
// clipped and (mrkdwn) escaped as running text: never trusted as markup.
std::string log_text(const LogLine& line, Markup markup) {
    std::string level = fit(clean(line.level.empty() ? "log" : line.level), 12);
    for (char& c : level) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    const std::string when = line.timestamp_ms > 0 ? clock_of(line.timestamp_ms) + " " : "";
    if (markup == Markup::plain) {
        return level + " " + when + fit(clean(line.message), kLogMessageShown);
    }
    return "`" + mrkdwn_code(level, 40) + "` " + when +
           mrkdwn(fit(clean(line.message), kLogMessageShown), 1200);
}

// "service · name" of a span the summary knows, else its service and id.
std::string span_title(const Summary& summary, const LogLine& line, Markup markup) {
    const auto label = [markup](const std::string& service, const std::string& name) {
        return named(service_name(service), markup) + " · " + named(name, markup);
    };
    for (const auto& e : summary.errors) {
        if (e.span_id == line.span_id) return label(e.service, e.name);
    }
    for (const auto& s : summary.critical_path) {
        if (s.span_id == line.span_id) return label(s.service, s.name);
    }
    for (const auto& s : summary.slow_spans) {
        if (s.span_id == line.span_id) return label(s.service, s.name);
    }
    if (line.span_id.empty()) return named(service_name(line.service), markup) + " · (no span)";
    return named(service_name(line.service), markup) + " · span " +
           named(shown_span_id(line.span_id), markup);
}

}  // namespace

ContextLead context_lead(const Summary& summary, Markup markup) {
    ContextLead lead;
    if (const auto& radius = summary.blast_radius) {
        lead.blast = blast_sentence(*radius, named(radius->subject.name, markup));
        if (radius->slo_burn) lead.slo = burn_sentence(*radius->slo_burn, markup);
    }
    if (const LogLine* line = first_error_line(summary)) {
        const bool failing =
            std::any_of(summary.errors.begin(), summary.errors.end(), [line](const ErrorInfo& e) {
                return !line->span_id.empty() && e.span_id == line->span_id;
            });
        const std::string label = failing ? "Log of the failing span:" : "First error log:";
        lead.first_log =
            (markup == Markup::plain ? label : "*" + label + "*") + " " + log_text(*line, markup);
    }
    lead.typical = typical_lead(summary, markup);
    lead.changes = changes_lead(summary, markup);
    std::vector<std::string> missing;
    if (!summary.context.logs.empty()) missing.push_back("Logs: " + summary.context.logs);
    if (!summary.context.typical.empty()) {
        missing.push_back("Typical request: " + summary.context.typical);
    }
    if (!summary.context.changes.empty()) missing.push_back("Changes: " + summary.context.changes);
    if (!summary.context.blast_radius.empty()) {
        missing.push_back("Blast radius: " + summary.context.blast_radius);
    }
    for (const auto& part : missing) {
        const auto text = markup == Markup::plain ? clean(part) : mrkdwn(part, 400);
        lead.missing += (lead.missing.empty() ? "" : " ") + text;
    }
    return lead;
}

std::vector<std::string> log_items(
    const Summary& summary, Markup markup, std::size_t max_spans, std::size_t per_span
) {
    std::vector<std::string> order;  // spans in the order of their first error/warn line
    std::map<std::string, std::vector<const LogLine*>> by_span;
    for (const auto& line : summary.logs) {
        if (log_severity(line.level) == LogSeverity::other) break;  // ordered: errors, warnings
        auto& lines = by_span[line.span_id];
        if (lines.empty()) order.push_back(line.span_id);
        lines.push_back(&line);
    }
    std::vector<std::string> items;
    for (const auto& span : order) {
        if (items.size() >= max_spans) break;
        const auto& lines = by_span[span];
        std::string item = (markup == Markup::plain ? "" : "*") +
                           span_title(summary, *lines.front(), markup) +
                           (markup == Markup::plain ? "" : "*");
        for (std::size_t i = 0; i < lines.size() && i < per_span; ++i) {
            item += "\n" + std::string(markup == Markup::plain ? "" : "• ") +
                    log_text(*lines[i], markup);
        }
        if (lines.size() > per_span) {
            item += "\n" + and_more(lines.size() - per_span, "line");
        }
        items.push_back(std::move(item));
    }
    return items;
}

Json logs_json(const Summary& summary) {
    Json out = Json::array();
    for (const auto& line : summary.logs) {
        out.push_back(Json{
            {"timestamp_ms", line.timestamp_ms},
            {"level", line.level},
            {"message", line.message},
            {"span_id", line.span_id.empty() ? Json(nullptr) : Json(shown_span_id(line.span_id))},
            {"service", line.service},
        });
    }
    return out;
}

Json blast_radius_json(const Summary& summary) {
    if (!summary.blast_radius) return nullptr;
    return blast_radius_json(*summary.blast_radius);
}

std::string blast_lead(const BlastRadius& radius, Markup markup) {
    std::string out = blast_sentence(radius, named(radius.subject.name, markup));
    if (radius.slo_burn) {
        out += " " + slo_burn_sentence(*radius.slo_burn, named(radius.slo_burn->name, markup));
    }
    return out;
}

Json blast_radius_json(const BlastRadius& r) {
    const auto opt = [](const auto& value) { return value ? Json(*value) : Json(nullptr); };
    Json out{
        {"window_minutes", r.window_minutes},
        {"matching", r.matching},
        {"total", r.total},
        {"share", r.share ? Json(std::round(*r.share * 10000.0) / 10000.0) : Json(nullptr)},
        {"since_ms", opt(r.since_ms)},
        {"still_happening", opt(r.still_happening)},
        {"previous_day", opt(r.previous_day)},
        {"users", opt(r.users)},
        {"slo_burn", nullptr},
    };
    if (r.slo_burn) {
        out["slo_burn"] = Json{
            {"slo", r.slo_burn->name},
            {"burn_rate", std::round(r.slo_burn->burn_rate * 100.0) / 100.0}};
    }
    const bool failure = r.subject.match == BlastSubject::Match::failure;
    out["subject"] = Json{
        {"match", failure ? "failure" : "slowness"},
        {"service", r.subject.service},
        {"name", r.subject.name},
        {"noun", r.subject.noun},
    };
    if (!failure) out["subject"]["threshold_ms"] = round_ms(r.subject.usual_p99_ms);
    return out;
}

Json context_notes_json(const Summary& summary) {
    const auto note = [](const std::string& text) {
        return text.empty() ? Json(nullptr) : Json(text);
    };
    return Json{
        {"logs", note(summary.context.logs)},
        {"blast_radius", note(summary.context.blast_radius)},
        {"typical", note(summary.context.typical)},
        {"changes", note(summary.context.changes)}};
}

}  // namespace nra::render_detail
