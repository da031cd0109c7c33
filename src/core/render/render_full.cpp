// The "Full waterfall" answer: the whole critical path and every finding, nothing capped. As
// Block Kit it is cut into sections (≤ 3,000 units) and messages (≤ 50 blocks and ≤ 12,000 units:
// Slack refuses some messages with msg_blocks_too_long around 13k characters, slack.md §4); as
// text (for a file) it is render_text with every row plus the findings render_text leaves out.
#include <fmt/format.h>

#include <limits>

#include "core/render/baseline_text.hpp"
#include "core/render/block_list.hpp"
#include "core/render/render_util.hpp"
#include "core/render/slack_parts.hpp"
#include "nra/render/render.hpp"

namespace nra {
namespace {

using namespace render_detail;

constexpr std::size_t kSectionUnits = kMaxSectionText - 100;
constexpr std::size_t kMessageUnits = 12'000;
constexpr std::size_t kTextFindings = 10;  // what render_text lists (render_text.cpp kMaxFindings)
constexpr std::size_t kAllRows = std::numeric_limits<std::size_t>::max();

struct Section {
    std::string text;
    std::size_t units = 0;
};

// The critical path as code blocks, the axis line repeated at the top of each.
void add_path_sections(std::vector<Section>& out, const Summary& summary) {
    const auto rows = waterfall_rows(summary, kSlackWaterfallWidth, kAllRows);
    if (rows.empty()) {
        out.push_back({"*Critical path*\nNo critical path in this trace.", 0});
        return;
    }
    const std::string axis = "```\n" + mrkdwn_code(rows.front(), 1000) + "\n";
    Section current{
        fmt::format(
            "*Critical path* ({}, {})\n",
            counted(waterfall_size(summary), waterfall_noun(summary)),
            format_duration(summary.duration_ms)
        ) + axis,
        0};
    current.units = slack_length(current.text);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string row = mrkdwn_code(rows[i], 1000) + "\n";
        const std::size_t units = slack_length(row);
        if (current.units + units + 3 > kSectionUnits) {
            current.text += "```";
            out.push_back(std::move(current));
            current = Section{axis, slack_length(axis)};
        }
        current.text += row;
        current.units += units;
    }
    current.text += "```";
    out.push_back(std::move(current));
}

// Every finding, detailed, packed into as many sections as they need.
void add_finding_sections(std::vector<Section>& out, const Summary& summary) {
    if (summary.findings.empty()) {
        out.push_back({"*Findings*\nNo known slow pattern matched.", 0});
        return;
    }
    Section current{fmt::format("*Findings ({})*", summary.findings.size()), 0};
    current.units = slack_length(current.text);
    for (std::size_t i = 0; i < summary.findings.size(); ++i) {
        const std::string item = finding_item(summary.findings[i], i, true);  // ≤ ~2,300 units
        const std::size_t units = slack_length(item) + 1;
        if (current.units + units > kSectionUnits && current.units > 0) {
            out.push_back(std::move(current));
            current = Section{};
        }
        current.text += (current.text.empty() ? "" : "\n") + item;
        current.units += units;
    }
    out.push_back(std::move(current));
}

// Groups sections into messages (first index of each), leaving room for the header.
std::vector<std::size_t> message_starts(const std::vector<Section>& sections) {
    std::vector<std::size_t> starts{0};
    std::size_t blocks = 1;  // the header
    std::size_t units = kMaxHeaderText;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const std::size_t size = std::max<std::size_t>(sections[i].units, 1);
        if (blocks > 1 && (blocks + 1 > kMaxBlocks || units + size > kMessageUnits)) {
            starts.push_back(i);
            blocks = 1;
            units = kMaxHeaderText;
        }
        ++blocks;
        units += size;
    }
    return starts;
}

}  // namespace

FullRender render_blocks_full(
    const Summary& summary, const RenderOptions& /*options*/, std::size_t max_messages
) {
    std::vector<Section> sections;
    add_path_sections(sections, summary);
    add_finding_sections(sections, summary);
    const auto starts = message_starts(sections);
    const std::string request = request_label(summary);
    FullRender out;
    out.complete = starts.size() <= max_messages;
    for (std::size_t m = 0; m < starts.size() && m < max_messages; ++m) {
        BlockList blocks;
        const std::string part =
            starts.size() > 1 ? fmt::format(" ({}/{})", m + 1, starts.size()) : std::string();
        std::string header = "Full waterfall · ";
        header += request;
        blocks.add_header(
            fit_units(clean(header), kMaxHeaderText - part.size()) + part, "Full waterfall"
        );
        const std::size_t end = m + 1 < starts.size() ? starts[m + 1] : sections.size();
        for (std::size_t i = starts[m]; i < end; ++i) {
            blocks.add_section(sections[i].text);
        }
        out.messages.push_back(blocks.finish(fmt::format(
            "Full waterfall of {}{}: critical path of {}, {}.",
            mrkdwn(request, 300),
            part,
            counted(waterfall_size(summary), waterfall_noun(summary)),
            counted(summary.findings.size(), "finding")
        )));
    }
    return out;
}

std::string render_text_full(const Summary& summary, const RenderOptions& options) {
    RenderOptions all = options;
    all.max_path_rows = kAllRows;
    std::string out = render_text(summary, all);
    if (summary.findings.size() <= kTextFindings) {
        return out;
    }
    const std::size_t width = options.width > 40 ? static_cast<std::size_t>(options.width) : 40;
    out += fmt::format("\nFindings {} to {}\n", kTextFindings + 1, summary.findings.size());
    for (std::size_t i = kTextFindings; i < summary.findings.size(); ++i) {
        const Finding& f = summary.findings[i];
        std::string head = fmt::format("  {}. ", i + 1);
        if (const auto tag = context_tag(f.context); !tag.empty()) head += std::string(tag) + " ";
        head += kind_label(f.kind);
        if (!is_blank(f.service)) head += " in " + service_name(f.service);
        if (const auto saving = format_saving(f.saving_ms); !saving.empty()) {
            head += " — saves " + saving;
        }
        out += fit(head, width) + "\n";
        for (const std::string& text : {f.summary, f.statement, f.suggestion, f.location}) {
            if (is_blank(text)) continue;
            for (const auto& line : wrap(clean(text), width - 5, 4)) {
                out += "     " + line + "\n";
            }
        }
    }
    return out;
}

}  // namespace nra
