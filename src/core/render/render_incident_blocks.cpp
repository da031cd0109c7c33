// /incident as Block Kit: the channel summary (the top suspect in one sentence, its blast
// radius, the SLO burn, the deviating endpoints, the changes) and the thread detail (every
// suspect with its evidence, every endpoint listed, the notes). Within Slack's limits by
// construction (BlockList); every outside name is escaped.
#include <fmt/format.h>

#include "core/render/block_list.hpp"
#include "core/render/context_text.hpp"
#include "core/render/incident_text.hpp"
#include "core/render/render_util.hpp"
#include "core/render/suspects_text.hpp"
#include "core/render/typical_text.hpp"
#include "nra/render/render_incident.hpp"

namespace nra {
namespace {

using render_detail::add_item_sections;
using render_detail::BlockList;
using render_detail::Markup;

constexpr std::size_t kLeadEndpoints = 5;
constexpr std::size_t kLeadChanges = 3;

std::string slack(const std::string& marked_text, std::size_t max = 2000) {
    return render_detail::worded(marked_text, Markup::mrkdwn, max);
}

std::string title(const IncidentReport& r) {
    return fmt::format(
        "Incident · {} · {}",
        render_detail::service_name(r.service),
        render_detail::incident_window_text(r)
    );
}

std::vector<std::string> deviating_endpoints(const IncidentReport& r, std::size_t max) {
    std::vector<std::string> out;
    for (const auto& e : r.endpoints) {
        const bool off =
            e.window ? e.window->deviates() || e.window->quieter : e.failed + e.slower > 0;
        if (off && out.size() < max)
            out.push_back("• " + slack(render_detail::endpoint_line(e), 600));
    }
    return out;
}

std::string counts_line(const IncidentReport& r) {
    return fmt::format(
        "{} traces analysed · {} suspect{} · nr-analyzer",
        r.traces_analysed,
        r.suspects.size(),
        r.suspects.size() == 1 ? "" : "s"
    );
}

}  // namespace

BlockMessage render_incident_blocks_summary(const IncidentReport& report) {
    BlockList blocks;
    blocks.add_header(title(report), "Incident");
    const auto lead = render_detail::incident_lead(report);
    blocks.add_section(lead.empty() ? std::string("Nothing to report.") : slack(lead, 2900));
    std::vector<std::string> more;
    if (!report.suspects.empty() && report.suspects.front().blast) {
        more.push_back(render_detail::blast_lead(*report.suspects.front().blast, Markup::mrkdwn));
    }
    for (const auto& burn : render_detail::other_burns(report)) {
        more.push_back(render_detail::burn_sentence(burn, Markup::mrkdwn));
    }
    if (!more.empty()) blocks.add_section(fmt::format("{}", fmt::join(more, "\n")));
    const auto endpoints = deviating_endpoints(report, kLeadEndpoints);
    if (!endpoints.empty()) {
        blocks.add_section(
            "*Off their usual level*\n" + fmt::format("{}", fmt::join(endpoints, "\n"))
        );
    }
    std::vector<std::string> changes;
    for (const auto& c : report.changes) {
        if (changes.size() < kLeadChanges)
            changes.push_back(slack(render_detail::window_change_text(c), 400));
    }
    if (!changes.empty())
        blocks.add_section("*Changed:* " + fmt::format("{}", fmt::join(changes, "; ")));
    blocks.add_context({counts_line(report) + " · details in the thread"});
    return blocks.finish(lead.empty() ? title(report) : slack(lead, 2900));
}

BlockMessage render_incident_blocks_detail(const IncidentReport& report) {
    BlockList blocks;
    std::vector<std::string> suspects;
    for (std::size_t i = 0; i < report.suspects.size(); ++i) {
        const auto& s = report.suspects[i];
        std::string item = fmt::format(
            "{}. {}", i + 1, slack(render_detail::incident_heading(s, report.traces_analysed), 600)
        );
        if (s.blast) item += "\n" + render_detail::blast_lead(*s.blast, Markup::mrkdwn);
        for (const auto& e : s.evidence) {
            item += fmt::format(
                "\n    trace `{}`: {}",
                render_detail::mrkdwn_code(e.trace_id, 64),
                slack(e.text, 400)
            );
        }
        suspects.push_back(std::move(item));
    }
    if (!suspects.empty()) {
        add_item_sections(blocks, "*Suspects* (most likely first)", suspects, 10, "suspect");
    }
    std::vector<std::string> endpoints;
    for (const auto& e : report.endpoints) {
        endpoints.push_back("• " + slack(render_detail::endpoint_line(e), 600));
    }
    if (!endpoints.empty()) add_item_sections(blocks, "*Endpoints*", endpoints, 8, "endpoint");
    std::vector<std::string> changes;
    for (const auto& c : report.changes) {
        changes.push_back("• " + slack(render_detail::window_change_text(c), 400));
    }
    if (!changes.empty()) add_item_sections(blocks, "*Changes*", changes, 3, "change");
    std::vector<std::string> notes;
    for (const auto& n : report.notes) notes.push_back("• " + slack(n, 600));
    if (!notes.empty()) add_item_sections(blocks, "*Notes*", notes, 3, "note");
    if (blocks.size() == 0) blocks.add_section("No suspect, endpoint or change to detail.");
    return blocks.finish("Incident details: suspects, endpoints, changes");
}

}  // namespace nra
