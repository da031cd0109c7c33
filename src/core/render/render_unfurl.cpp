// A pasted New Relic trace link, unfurled: the few numbers people want before they click (4
// blocks, each text clipped by BlockList, so the attachment always stays inside Slack's limits),
// with the unusual time among the facts once baselines are applied.
#include <fmt/format.h>

#include "core/render/baseline_text.hpp"
#include "core/render/block_list.hpp"
#include "core/render/context_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/slack_parts.hpp"
#include "nra/render/render.hpp"

namespace nra {

using namespace render_detail;

BlockMessage render_blocks_unfurl(const Summary& summary) {
    const TraceHeadline headline = trace_headline(summary);
    BlockList blocks;
    blocks.add_section(fmt::format(
        "*{}* took *{}*{}",
        mrkdwn(headline.request, 600),
        headline.duration,
        summary.complete ? "" : " (incomplete trace)"
    ));
    std::vector<std::string> facts{
        fmt::format("*Spans*\n{}", summary.span_count),
        fmt::format("*Services*\n{}", summary.service_count),
        fmt::format("*Errors*\n{}", headline.error_spans),
    };
    const std::string unusual = unusual_fact(summary);
    if (!unusual.empty()) {
        facts.push_back("*Unusual*\n" + unusual);
    }
    blocks.add_fields(facts);
    blocks.add_section(
        summary.findings.empty()
            ? std::string("*Top finding*\nNo known slow pattern matched.")
            : "*Top finding*\n" + finding_item(summary.findings.front(), 0, false)
    );
    const std::string id = clean(summary.trace_id);
    std::vector<std::string> context{
        "nr-analyzer",
        id.empty() ? std::string("Trace _(no id)_") : "Trace `" + mrkdwn_code(id, 200) + "`",
    };
    // The short form of the incident context: is it one request or many.
    if (const auto lead = context_lead(summary, Markup::mrkdwn); !lead.blast.empty()) {
        context.push_back(lead.blast);
    }
    blocks.add_context(context);
    std::string fallback = fmt::format(
        "{} took {} ({} spans, {} services, {} errors).",
        mrkdwn(headline.request, 300),
        headline.duration,
        summary.span_count,
        summary.service_count,
        headline.error_spans
    );
    if (!unusual.empty()) {
        fallback += " Unusual: " + unusual + ".";
    }
    return blocks.finish(fallback);
}

}  // namespace nra
