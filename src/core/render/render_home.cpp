// App Home: a short manual and the workspace's latest analyses. BlockList keeps every text inside
// its limit and caps the view at 50 blocks (Home allows 100); at most ~20 are used.
#include "nra/render/render_home.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/render/block_list.hpp"
#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"

namespace nra {
namespace {

using namespace render_detail;

constexpr std::size_t kMaxListed = 20;

// "2026-12-06 10:33 UTC": what clients that cannot localise a <!date> show instead.
std::string utc_minute(std::int64_t epoch_s) {
    const std::string iso = report_format::iso_time(epoch_s * 1000);  // 2026-12-06T10:33:00Z
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

// Escaped mrkdwn: the <placeholders> are written &lt;…&gt; so Slack does not take them for links.
std::string how_to(const HomeOptions& options) {
    const std::string bot = mrkdwn(options.bot_name, 80);
    std::string text = "*How to use me*\n";
    text +=
        "• `/trace &lt;trace id | traceparent | New Relic link&gt;` in a channel: a summary there, "
        "the "
        "detail and a waterfall picture in its thread.\n";
    if (options.improve) {
        text +=
            "• `/improve [service] [window]`: endpoints that break their thresholds or SLOs, with "
            "reasons from their traces.\n";
    }
    text += fmt::format(
        "• Mention me in any thread: `@{} &lt;trace id or link&gt;` (up to 3): I answer in that "
        "thread.\n",
        bot
    );
    text +=
        "• The *Analyze trace* shortcut (the ⋮ menu of any message, threads included) analyses "
        "the traces that message names, in its thread.\n"
        "• Paste a New Relic trace link: I unfurl it with the key numbers.\n"
        "• Under each summary, *Full waterfall* shows the whole critical path and every finding; "
        "*Re-analyze* fetches an incomplete trace again.";
    return text;
}

// Only a real channel id may become a <#C…> mention: anything else would be markup injection.
bool is_channel_id(const std::string& channel) {
    return !channel.empty() && channel.size() <= 20 &&
           std::all_of(channel.begin(), channel.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
           });
}

std::string entry(const RecentAnalysis& a) {
    std::string text = fmt::format(
        "*{}* · {} · {} · {}",
        mrkdwn(a.request.empty() ? "Trace " + a.trace_id : a.request, 600),
        format_duration(a.duration_ms),
        counted(static_cast<std::size_t>(std::max(a.span_count, 0)), "span"),
        counted(static_cast<std::size_t>(std::max(a.error_count, 0)), "error")
    );
    text += a.top_finding.empty() ? "\nNo known slow pattern matched."
                                  : "\nTop finding: " + mrkdwn(a.top_finding, 800);
    text += "\nTrace `" + mrkdwn_code(a.trace_id, 200) + "`";
    if (is_channel_id(a.channel)) {
        text += " · in <#" + a.channel + ">";
    }
    if (a.at_epoch_s > 0) {  // Slack shows it in the reader's own time zone
        text += fmt::format(
            " · <!date^{}^{{date_short_pretty}} {{time}}|{}>",
            a.at_epoch_s,
            utc_minute(a.at_epoch_s)
        );
    }
    return text;
}

}  // namespace

Blocks render_home_view(const std::vector<RecentAnalysis>& recent, const HomeOptions& options) {
    BlockList blocks;
    blocks.add_header(options.bot_name, "nr-analyzer");
    blocks.add_section(
        "*What I do*\nI read New Relic distributed traces for you: where the time went, the slow "
        "spans, errors and where they started, and concrete fixes such as N+1 queries."
    );
    blocks.add_section(how_to(options));
    blocks.add_header("Latest analyses in this workspace", "Latest analyses");
    const std::size_t shown = std::min({recent.size(), options.max_listed, kMaxListed});
    if (shown == 0) {
        blocks.add_section(
            "None yet. Run `/trace` with a trace id, or mention me with a New Relic trace link."
        );
    }
    for (std::size_t i = 0; i < shown; ++i) {
        blocks.add_section(entry(recent[i]));
    }
    blocks.add_context({"Kept in memory since the bot last started, newest first."});
    return Blocks{{"type", "home"}, {"blocks", blocks.finish("nr-analyzer").blocks}};
}

}  // namespace nra
