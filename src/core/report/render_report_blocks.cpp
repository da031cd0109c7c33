// Report → Slack Block Kit: the channel message and one thread message per shown endpoint. Every
// block goes through BlockList, so Slack's limits hold for any report (5,000 endpoints, huge
// names).
#include <fmt/format.h>

#include "core/render/block_list.hpp"
#include "core/render/render_util.hpp"
#include "core/report/report_blocks.hpp"
#include "core/report/report_format.hpp"
#include "core/report/report_text.hpp"
#include "nra/report/render_report.hpp"

namespace nra {
namespace {

namespace rf = report_format;
using render_detail::BlockList;
using render_detail::mrkdwn;

constexpr std::size_t kFooterBlocks = 2;  // notes + "details in the thread"

std::string summary_header(const Report& report) {
    if (report.breaching == 0) {
        return report.service + ": all targets met";
    }
    return fmt::format(
        "{}: {} {} work",
        report.service,
        rf::thousands(static_cast<std::int64_t>(report.breaching)),
        report.breaching == 1 ? "endpoint needs" : "endpoints need"
    );
}

std::vector<std::string> slo_items(const Report& report) {
    std::vector<std::string> items;
    for (const SloReport& s : report.slos) {
        items.push_back("• " + mrkdwn(report_text::slo_sentence(s), 700));
    }
    return items;
}

// Figures of one endpoint as section fields.
std::vector<std::string> figure_fields(const EndpointReport& e) {
    const EndpointStats& s = e.stats;
    std::vector<std::string> fields;
    fields.push_back(
        fmt::format("*Requests*\n{} · {}", rf::thousands(s.count), rf::rpm(s.throughput_rpm))
    );
    std::string latency;
    for (const auto& [label, value] :
         {std::pair{"p50", s.p50_ms}, std::pair{"p95", s.p95_ms}, std::pair{"p99", s.p99_ms}}) {
        if (value) {
            latency += fmt::format("{}{} {}", latency.empty() ? "" : " · ", label, rf::ms(*value));
        }
    }
    fields.push_back("*Latency*\n" + (latency.empty() ? std::string("no data") : latency));
    if (s.count > 0) {
        fields.push_back(
            fmt::format("*Errors*\n{} ({})", rf::percent(s.error_rate()), rf::thousands(s.errors))
        );
    }
    if (const auto a = s.apdex()) {
        fields.push_back(
            fmt::format("*Apdex*\n{} (T {})", rf::apdex(*a), rf::ms(e.thresholds.apdex_t_ms))
        );
    }
    if (const std::string impact = rf::impact_text(e); !impact.empty()) {
        fields.push_back("*Impact*\n" + mrkdwn(impact, 300));
    }
    if (e.previous) {
        fields.push_back(
            "*Versus the window before*\n" + mrkdwn(rf::change_text(e), 300) + "\n" +
            mrkdwn(rf::figures_line(*e.previous), 400)
        );
    } else if (e.change == Change::new_breach) {
        fields.push_back("*Versus the window before*\n" + mrkdwn(rf::change_text(e), 300));
    }
    return fields;
}

std::string status_text(const EndpointReport& e, std::size_t index) {
    std::string out =
        fmt::format("*{}.* {}", index + 1, report_blocks::endpoint_code(e.stats.name, 1500));
    if (e.low_traffic) {
        return out + "\n" + mrkdwn(report_text::low_traffic_sentence(e), 300);
    }
    if (e.breaches.empty()) {
        return out + "\nMeets its targets.";
    }
    for (const Breach& b : e.breaches) {
        out += "\n• " + mrkdwn(rf::breach_text(b), 300);
    }
    return out;
}

BlockMessage detail_message(const Report& report, const EndpointReport& e, std::size_t index) {
    BlockList blocks;
    blocks.add_section(status_text(e, index));
    blocks.add_fields(figure_fields(e));
    std::vector<std::string> items;
    for (const Suggestion& s : e.suggestions) {
        items.push_back(report_blocks::suggestion_item(s));
    }
    const std::string why = e.suggestions.empty() ? std::string()
                                                  : fmt::format(
                                                        "*Why, from the {} slowest sampled traces*",
                                                        e.suggestions.front().traces_sampled
                                                    );
    render_detail::add_item_sections(blocks, why, items, 3, "reason");
    if (!e.sample_trace_ids.empty()) {
        std::string ids;
        for (const std::string& id : e.sample_trace_ids) {
            ids += (ids.empty() ? "Sampled traces: `" : ", `") +
                   render_detail::mrkdwn_code(id, 64) + "`";
        }
        blocks.add_context({ids});
    }
    const std::string first =
        e.breaches.empty() ? rf::figures_line(e.stats) : rf::breach_text(e.breaches.front());
    const std::string fallback =
        mrkdwn(render_detail::fit_middle(e.stats.name, 300) + ": " + first, 1000);
    return report_blocks::finish_with_button(blocks, fallback, report.service, e.stats.name);
}

}  // namespace

BlockMessage render_report_blocks_summary(const Report& report) {
    BlockList blocks;
    blocks.add_header(summary_header(report), "Improvement report");
    blocks.add_section(
        mrkdwn(report_text::headline(report), 1500) + "\n_" +
        mrkdwn(rf::window_text(report.window), 200) + ", compared with the window before._"
    );
    render_detail::add_item_sections(blocks, "*SLOs*", slo_items(report), 3, "SLO");
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < report.endpoints.size(); ++i) {
        lines.push_back(report_blocks::endpoint_line(report.endpoints[i], i));
    }
    const std::size_t room =
        blocks.remaining() > kFooterBlocks ? blocks.remaining() - kFooterBlocks : 1;
    const char* title =
        report.breaching > 0 ? "*Endpoints that need work first*" : "*Endpoints by share of time*";
    render_detail::add_item_sections(blocks, title, lines, room, "endpoint");
    report_blocks::add_notes(blocks, report.notes);
    if (report.breaching > 0) {
        blocks.add_context(
            {"Figures, reasons and a Jira button for each endpoint that needs work in the thread."}
        );
    }
    return blocks.finish(mrkdwn(report.service + ": " + report_text::headline(report), 2000));
}

std::vector<BlockMessage> render_report_blocks_details(const Report& report) {
    std::vector<BlockMessage> out;
    out.reserve(report.endpoints.size());
    // Only endpoints that need work get a thread message (and a Jira button): the others are
    // listed in the summary, and a thread of "meets its targets" is noise.
    for (std::size_t i = 0; i < report.endpoints.size(); ++i) {
        if (report.endpoints[i].breaches.empty()) continue;
        out.push_back(detail_message(report, report.endpoints[i], i));
    }
    return out;
}

}  // namespace nra
