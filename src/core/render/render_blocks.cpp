// Slack Block Kit: the channel summary message and the thread detail. Both stay inside Slack's
// limits whatever the trace holds: BlockList clips every text, and each part of the detail has a
// block budget (header 1 + baseline lead 2 + incident context 2 + suspects 2 + path 1 + findings
// 23 + errors 6 + logs 3 + slow spans 2 + notes 3 + link 1 + context 1 = 47 ≤ 50), with a
// visible "… and N more" when a list does not fit. The summary (≤ 12 blocks) ends with its
// buttons.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/render/baseline_text.hpp"
#include "core/render/block_list.hpp"
#include "core/render/context_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/slack_parts.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"
#include "nra/render/render.hpp"

namespace nra {
namespace {

using namespace render_detail;

constexpr std::size_t kSummaryFindings = 3;
constexpr std::size_t kFindingSections = 23;
constexpr std::size_t kErrorSections = 6;
constexpr std::size_t kSlowSpanSections = 2;
constexpr std::size_t kNoteSections = 3;
constexpr std::size_t kLogSections = 3;

// The error list is capped by the analysis; the per-service counts are not.
long long error_spans(const Summary& summary) {
    long long count = 0;
    for (const auto& service : summary.services) {
        count += std::max(service.error_count, 0);
    }
    return std::max(count, static_cast<long long>(summary.errors.size()));
}

// Buttons carry the id back to us: only a bare lower-case hex id (16 or 32) is worth a button.
bool button_worthy(const std::string& id) {
    const bool hex = std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    return hex && (id.size() == 16 || id.size() == 32);
}

nlohmann::ordered_json button(const char* action_id, const char* label, const std::string& id) {
    return {
        {"type", "button"},
        {"action_id", action_id},
        {"text", {{"type", "plain_text"}, {"text", label}}},
        {"value", id},
    };
}

// "Full waterfall" always, "Re-analyze" while spans may still be arriving (the ack of a press
// comes from the handler; the value is all it gets back from Slack).
BlockMessage with_buttons(BlockMessage message, const Summary& summary) {
    if (!button_worthy(summary.trace_id)) {
        return message;
    }
    using Json = nlohmann::ordered_json;
    Json elements = Json::array();
    elements.push_back(button(kTraceWaterfallAction, "Full waterfall", summary.trace_id));
    if (!summary.complete) {
        elements.push_back(button(kTraceReanalyzeAction, "Re-analyze", summary.trace_id));
    }
    message.blocks.push_back(Json{{"type", "actions"}, {"elements", std::move(elements)}});
    return message;
}

std::vector<std::string> key_fields(const Summary& summary) {
    std::vector<std::string> fields;
    fields.push_back("*Duration*\n" + format_trace_duration(summary));
    fields.push_back(fmt::format("*Spans*\n{}", summary.span_count));
    fields.push_back(fmt::format("*Services*\n{}", summary.service_count));
    fields.push_back(fmt::format("*Errors*\n{}", error_spans(summary)));
    if (!summary.services.empty()) {
        const auto& top = summary.services.front();
        fields.push_back(
            "*Most self time*\n`" + mrkdwn_code(service_name(top.service), 300) + "` · " +
            format_duration(top.self_ms)
        );
    }
    if (!summary.findings.empty()) {
        if (const auto saving = format_saving(summary.findings.front().saving_ms);
            !saving.empty()) {
            fields.push_back("*Biggest saving*\n" + saving);
        }
    }
    if (!summary.path.empty()) {
        std::string path;
        for (const auto& service : summary.path) {
            path += (path.empty() ? "" : " → ") + service_name(service);
        }
        fields.push_back("*Path*\n" + mrkdwn(path, 1500));
    }
    return fields;
}

std::string summary_fallback(const Summary& summary) {
    std::string text = fmt::format(
        "{} took {} ({} spans, {} services{}).",
        mrkdwn(request_label(summary), 300),
        format_trace_duration(summary),
        summary.span_count,
        summary.service_count,
        summary.complete ? "" : ", incomplete"
    );
    if (!summary.findings.empty()) {
        const auto& top = summary.findings.front();
        text += " Top finding: " + mrkdwn_marked(top.summary.empty() ? top.kind : top.summary, 500);
        if (const auto saving = format_saving(top.saving_ms); !saving.empty()) {
            text += " (" + saving + " could be saved)";
        }
        text += ".";
    }
    if (const ErrorInfo* error = origin_error(summary); error != nullptr) {
        text +=
            " Error origin: " + mrkdwn(error->service, 150) + " " + mrkdwn(error->name, 300) + ".";
    }
    if (const std::string unusual = unusual_fact(summary); !unusual.empty()) {
        text += " Unusual: " + unusual + ".";
    }
    return text;
}

// Right under the header, what is different in this request: the judgement as a section, and
// "No baseline: …" (or the source's partial warning) as a context line. Nothing when baselines
// were never asked for and nobody said why. At most 2 blocks.
void add_baseline_lead(BlockList& blocks, const Summary& summary) {
    const BaselineLead lead = baseline_lead(summary, Markup::mrkdwn);
    if (!lead.sentence.empty()) {
        blocks.add_section(lead.sentence);  // ≤ ~2,500 units (baseline_text.cpp)
    }
    if (!lead.note.empty()) {
        blocks.add_context({lead.note});
    }
}

// Whether this is one request or many, the SLO's burn and the failing span's first log line (one
// section), and what has not arrived (one context line). At most 2 blocks.
void add_context_lead(BlockList& blocks, const Summary& summary) {
    const ContextLead lead = context_lead(summary, Markup::mrkdwn);
    std::string text;
    for (const auto* part :
         {&lead.typical, &lead.changes, &lead.blast, &lead.slo, &lead.first_log}) {
        if (!part->empty()) text += (text.empty() ? "" : "\n") + *part;
    }
    if (!text.empty()) blocks.add_section(text);  // ≤ ~2,400 units: names and the log are clipped
    if (!lead.missing.empty()) blocks.add_context({":hourglass: " + lead.missing});
}

void add_top_findings(BlockList& blocks, const Summary& summary) {
    if (summary.findings.empty()) {
        blocks.add_section("*Findings*\nNo known slow pattern matched.");
        return;
    }
    std::string text = "*Findings*";
    const std::size_t shown = std::min(kSummaryFindings, summary.findings.size());
    for (std::size_t i = 0; i < shown; ++i) {
        text += "\n" + finding_item(summary.findings[i], i, false);
    }
    if (shown < summary.findings.size()) {
        text += "\n_" + and_more(summary.findings.size() - shown, "finding") + " in the thread_";
    }
    blocks.add_section(text);  // 3 items of ≤ ~700 units: always within 3000
}

void add_error_origin(BlockList& blocks, const Summary& summary) {
    const ErrorInfo* error = origin_error(summary);
    if (error == nullptr) {
        return;
    }
    std::string text = "*Error origin*\n" + error_item(*error);
    if (summary.errors.size() > 1) {
        text += "\n_" + and_more(summary.errors.size() - 1, "error") + " in the thread_";
    }
    blocks.add_section(text);
}

// The waterfall as a code block; rows that do not fit the section are counted, not cut.
void add_waterfall(BlockList& blocks, const Summary& summary, const RenderOptions& options) {
    const auto rows = waterfall_rows(summary, kSlackWaterfallWidth, options.max_path_rows);
    if (rows.empty()) {
        return;
    }
    const std::size_t total = waterfall_size(summary);
    const std::size_t listed = std::min(options.max_path_rows, total);
    std::string text = fmt::format(
        "*Critical path* ({}, {})\n```\n",
        counted(total, waterfall_noun(summary)),
        format_duration(summary.duration_ms)
    );
    const std::size_t budget = kMaxSectionText - 100;
    std::size_t shown = 0;
    for (std::size_t i = 0; i <= listed && i < rows.size(); ++i) {  // axis header + rows
        const std::string row = mrkdwn_code(rows[i], 1000) + "\n";
        if (slack_length(text) + slack_length(row) > budget) {
            break;
        }
        text += row;
        shown = i;
    }
    if (shown < total) {
        text += and_more(total - shown, waterfall_noun(summary)) + "\n";
    }
    blocks.add_section(text + "```");
}

// Every finding, error, slow span and note, each list within its block budget.
void add_detail_lists(BlockList& blocks, const Summary& summary) {
    std::vector<std::string> items;
    for (std::size_t i = 0; i < summary.findings.size(); ++i) {
        items.push_back(finding_item(summary.findings[i], i, true));
    }
    if (items.empty()) {
        blocks.add_section("*Findings*\nNo known slow pattern matched.");
    } else {
        const auto title = fmt::format("*Findings ({})*", items.size());
        add_item_sections(blocks, title, items, kFindingSections, "finding");
    }
    items.clear();
    for (const auto& error : summary.errors) {
        items.push_back(error_item(error));
    }
    const auto errors_title = fmt::format("*Errors ({})*", items.size());
    add_item_sections(blocks, errors_title, items, kErrorSections, "error");
    items = log_items(summary, Markup::mrkdwn, 12, 4);
    const auto logs_title =
        fmt::format("*Error and warning logs* ({} lines in all)", summary.logs.size());
    add_item_sections(blocks, logs_title, items, kLogSections, "span");
    items.clear();
    for (const auto& span : summary.slow_spans) {
        items.push_back(slow_span_item(span));
    }
    add_item_sections(blocks, "*Slowest spans* (self / total)", items, kSlowSpanSections, "span");
    items.clear();
    for (const auto& note : display_notes(summary)) {
        items.push_back("• " + mrkdwn(note, 1000));
    }
    add_item_sections(blocks, "*Notes*", items, kNoteSections, "note");
}

}  // namespace

TraceHeadline trace_headline(const Summary& summary) {
    TraceHeadline headline;
    headline.request = fit(request_label(summary), 200);
    headline.duration = format_trace_duration(summary);
    headline.error_spans = error_spans(summary);
    if (!summary.findings.empty()) {
        const Finding& top = summary.findings.front();
        std::string line = kind_label(top.kind);
        if (!is_blank(top.service)) {
            line += " in " + service_name(top.service);
        }
        if (const auto saving = format_saving(top.saving_ms); !saving.empty()) {
            line += " — saves " + saving;
        }
        headline.top_finding = fit(line, 300);
    }
    return headline;
}

BlockMessage render_blocks_summary(const Summary& summary, const RenderOptions& options) {
    BlockList blocks;
    // The duration is the point of the header: clip the request, never the number.
    const std::string duration = " · " + format_trace_duration(summary);
    const std::string request = clean(request_label(summary));
    blocks.add_header(
        fit_units(request, kMaxHeaderText - slack_length(duration)) + duration, "Trace summary"
    );
    if (!summary.suspects.empty()) blocks.add_section(suspect_lead(summary, Markup::mrkdwn));
    add_baseline_lead(blocks, summary);
    add_context_lead(blocks, summary);
    blocks.add_fields(key_fields(summary));
    add_top_findings(blocks, summary);
    add_error_origin(blocks, summary);
    if (!summary.complete) {  // the channel only hears about repairs that change the reading
        blocks.add_section(":warning: " + mrkdwn(display_notes(summary).front(), 1000));
    }
    blocks.add_context(context_elements(summary, options));
    return with_buttons(blocks.finish(summary_fallback(summary)), summary);
}

BlockMessage render_blocks_detail(const Summary& summary, const RenderOptions& options) {
    BlockList blocks;
    blocks.add_header("Trace detail · " + request_label(summary), "Trace detail");
    add_baseline_lead(blocks, summary);
    add_context_lead(blocks, summary);
    add_item_sections(
        blocks,
        "*Suspects* (most likely first)",
        suspect_items(summary, Markup::mrkdwn),
        2,
        "suspect"
    );
    add_waterfall(blocks, summary, options);
    add_detail_lists(blocks, summary);
    add_item_sections(
        blocks,
        "*Compared with a typical request*",
        typical_items(summary, Markup::mrkdwn, options.trace_link),
        2,
        "difference"
    );
    add_item_sections(blocks, "*Changes*", change_items(summary, Markup::mrkdwn), 1, "change");
    if (const auto link = slack_link(options.trace_link, "Open this trace in New Relic");
        !link.empty()) {
        blocks.add_section(":mag: " + link);
    }
    blocks.add_context(context_elements(summary, options));
    const auto fallback = fmt::format(
        "Detail for {}: critical path of {}, {}, {}.",
        mrkdwn(request_label(summary), 300),
        counted(waterfall_size(summary), waterfall_noun(summary)),
        counted(summary.findings.size(), "finding"),
        counted(summary.errors.size(), "error")
    );
    return blocks.finish(fallback);
}

}  // namespace nra
