// Slack pieces shared by the report messages (report_blocks.hpp).
#include "core/report/report_blocks.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/render/render_util.hpp"
#include "core/report/report_detail.hpp"
#include "core/report/report_format.hpp"
#include "core/report/report_text.hpp"
#include "nra/render/render.hpp"
#include "nra/report/render_report.hpp"

namespace nra::report_blocks {
namespace {

namespace rf = report_format;
using render_detail::mrkdwn;
using render_detail::mrkdwn_code;
using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxButtonValue = 2000;  // Slack: button value ≤ 2,000 characters

// {"s": service, "e": endpoint}; the endpoint (then the service) is shortened until it fits.
std::string button_value(const std::string& service, const std::string& endpoint) {
    std::size_t e_max = std::min(endpoint.size(), kMaxButtonValue);  // code points: a first guess
    std::size_t s_max = std::min<std::size_t>(service.size(), 500);
    for (;;) {
        const Json value{
            {"s", render_detail::fit(service, s_max)},
            {"e", render_detail::fit(endpoint, e_max)},
        };
        std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
        if (render_detail::slack_length(text) <= kMaxButtonValue || e_max == 0) {
            return text;
        }
        e_max = std::min(e_max, kMaxButtonValue / 2) * 3 / 4;  // escapes can double a character
    }
}

}  // namespace

std::string endpoint_code(const std::string& name, std::size_t max_units) {
    return "`" + mrkdwn_code(render_detail::fit_middle(name, max_units), max_units) + "`";
}

std::string endpoint_line(const EndpointReport& e, std::optional<std::size_t> index) {
    std::string out = index ? fmt::format("*{}.* ", *index + 1) : std::string();
    out += endpoint_code(e.stats.name, 200) + " — ";
    if (const Breach* primary = report_detail::primary_breach(e.breaches)) {
        out += "*" + mrkdwn(rf::breach_text(*primary), 300) + "*";
        if (e.breaches.size() > 1) {
            out += fmt::format(" (+{} more)", e.breaches.size() - 1);
        }
    } else {
        out += mrkdwn(rf::figures_line(e.stats), 300);
    }
    if (const std::string impact = rf::impact_text(e); !impact.empty()) {
        out += " · " + mrkdwn(impact, 200);
    }
    if (e.low_traffic) {
        out += " · _low traffic, not judged_";
    } else if (e.previous || e.change == Change::new_breach) {
        out += " · _" + mrkdwn(rf::change_text(e), 200) + "_";
    }
    return out;
}

std::string suggestion_item(const Suggestion& s) {
    std::string out = "• *" + mrkdwn(report_text::kind_label(s.kind), 80) + "*";
    if (!s.service.empty()) {
        out += " in `" + mrkdwn_code(s.service, 120) + "`";
    }
    if (!s.what.empty()) {
        out += ": `" + mrkdwn_code(s.what, 600) + "`";
    }
    out += " — " + mrkdwn(report_text::suggestion_figures(s), 200);
    if (!s.advice.empty()) {
        out += "\n   " + mrkdwn(s.advice, 600);
    }
    if (const std::string link = web_link(s.code_url, "source"); !link.empty()) {
        out += (s.advice.empty() ? "\n   " : " ") + link;
    }
    return out;
}

void add_notes(render_detail::BlockList& blocks, const std::vector<std::string>& notes) {
    std::vector<std::string> elements;
    elements.reserve(notes.size());
    for (const std::string& note : notes) {
        elements.push_back(mrkdwn(note, 600));
    }
    if (!elements.empty()) {
        blocks.add_context(elements);
    }
}

std::string web_link(const std::string& url, const std::string& label) {
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        return {};
    }
    return slack_link(url, label);
}

BlockMessage finish_with_button(
    const render_detail::BlockList& blocks,
    const std::string& fallback,
    const std::string& service,
    const std::string& endpoint
) {
    BlockMessage message = blocks.finish(fallback);
    Json& list = message.blocks;
    if (list.size() >= render_detail::kMaxBlocks) {
        list.erase(list.size() - 1);  // the button matters more than the last detail
    }
    list.push_back(Json{
        {"type", "actions"},
        {"elements",
         Json::array({Json{
             {"type", "button"},
             {"action_id", kImproveJiraAction},
             {"text", Json{{"type", "plain_text"}, {"text", "Create Jira ticket"}}},
             {"value", button_value(service, endpoint)},
         }})},
    });
    return message;
}

}  // namespace nra::report_blocks
