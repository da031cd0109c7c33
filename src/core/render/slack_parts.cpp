// mrkdwn pieces for the Slack messages. Every trace-derived string goes through mrkdwn() or
// mrkdwn_code() with an explicit budget, which is what keeps the messages inside Slack's limits.
#include "core/render/slack_parts.hpp"

#include <fmt/format.h>

#include "core/render/baseline_text.hpp"
#include "core/render/render_util.hpp"

namespace nra::render_detail {
namespace {

std::string code_label(const std::string& service, const std::string& name) {
    std::string out;
    if (!is_blank(service)) {
        out += "`" + mrkdwn_code(service, 150) + "`";
    }
    if (!is_blank(name)) {
        out += (out.empty() ? "" : " · ") + ("`" + mrkdwn_code(name, 300) + "`");
    }
    return out.empty() ? "_(unnamed span)_" : out;
}

}  // namespace

std::string request_label(const Summary& summary) {
    std::string label = clean(summary.request);
    if (label.find_first_not_of(' ') != std::string::npos) {
        return label;
    }
    const std::string service = clean(summary.root.service);
    const std::string name = clean(summary.root.name);
    if (!service.empty() && !name.empty()) {
        return service + " · " + name;
    }
    if (!service.empty() || !name.empty()) {
        return service.empty() ? name : service;
    }
    return "Trace " + clean(summary.trace_id);
}

const ErrorInfo* origin_error(const Summary& summary) {
    for (const auto& error : summary.errors) {
        if (error.origin) {
            return &error;
        }
    }
    return nullptr;  // every failure was handled: no origin to name (the JSON names none either)
}

std::string finding_item(const Finding& finding, std::size_t index, bool detailed) {
    std::string out = fmt::format("*{}. {}*", index + 1, mrkdwn(kind_label(finding.kind), 60));
    if (!is_blank(finding.service)) {
        out += " in `" + mrkdwn_code(finding.service, 150) + "`";
    }
    if (const std::string saving = format_saving(finding.saving_ms); !saving.empty()) {
        out += " — saves *" + saving + "*";
    }
    if (detailed && finding.count > 0) {
        out += fmt::format(
            " ({}, {})",
            counted(static_cast<std::size_t>(finding.count), "span"),
            format_duration(finding.total_ms)
        );
    }
    if (const std::string_view label = context_label(finding.context); !label.empty()) {
        out += " · _" + std::string(label) + "_";
    }
    if (!is_blank(finding.summary)) {
        // Detectors quote span names and statements in backticks (their own backticks replaced).
        out += "\n" + mrkdwn_marked(finding.summary, detailed ? 700 : 400);
    }
    if (!detailed) {
        return out;
    }
    if (!is_blank(finding.statement)) {
        out += "\n`" + mrkdwn_code(finding.statement, 500) + "`";
    }
    if (!is_blank(finding.suggestion)) {
        out += "\n_Fix:_ " + mrkdwn(finding.suggestion, 600);
    }
    if (!is_blank(finding.location)) {
        out += "\n_At:_ `" + mrkdwn_code(finding.location, 200) + "`";
    }
    return out;
}

std::string error_item(const ErrorInfo& error) {
    std::string out = error.origin ? ":rotating_light: *origin* " : ":x: ";
    out += code_label(error.service, error.name);
    if (error.http_status != 0) {
        out += fmt::format(" · HTTP {}", error.http_status);
    }
    std::string detail = mrkdwn(error.error_class, 150);
    if (!is_blank(error.message)) {
        detail += (detail.empty() ? "" : ": ") + mrkdwn(error.message, 500);
    }
    if (detail.find_first_not_of(' ') != std::string::npos) {
        out += "\n" + detail;
    }
    return out;
}

std::string slow_span_item(const SlowSpan& span) {
    std::string out = fmt::format(
        "• *{}* self / {} · {}",
        format_duration(span.self_ms),
        format_duration(span.duration_ms),
        code_label(span.service, span.name)
    );
    if (const std::string note = usual_note(span.baseline); !note.empty()) {
        out += " · " + note;
    }
    return out;
}

std::vector<std::string> context_elements(const Summary& summary, const RenderOptions& options) {
    std::vector<std::string> elements;
    const std::string id = clean(summary.trace_id);
    elements.push_back(id.empty() ? "Trace _(no id)_" : "Trace `" + mrkdwn_code(id, 200) + "`");
    elements.push_back(fmt::format(
        "{} · {}",
        counted(static_cast<std::size_t>(summary.span_count), "span"),
        counted(static_cast<std::size_t>(summary.service_count), "service")
    ));
    elements.emplace_back(summary.complete ? "complete" : ":warning: *incomplete*");
    if (const std::string link = slack_link(options.trace_link, "Open in New Relic");
        !link.empty()) {
        elements.push_back(link);
    }
    return elements;
}

}  // namespace nra::render_detail
