// The "Create Jira ticket" button on an /improve endpoint detail: ack at once, then build the
// endpoint's current figures and file a deduplicated ticket (a comment when one is already open);
// the outcome is replied in the report's thread.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "improve_report.hpp"
#include "nra/render/render.hpp"
#include "nra/report/ticket_text.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

struct JiraTarget {
    std::string service;
    std::string endpoint;
};

std::optional<JiraTarget> parse_value(const std::string& value) {
    const auto json = nlohmann::json::parse(value, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    const auto s = json.find("s");
    const auto e = json.find("e");
    if (s == json.end() || e == json.end() || !s->is_string() || !e->is_string()) {
        return std::nullopt;
    }
    JiraTarget target{s->get<std::string>(), e->get<std::string>()};
    if (!check_service_name(target.service).empty() || target.endpoint.empty()) return std::nullopt;
    return target;
}

// The endpoint a button names: exactly, or (for names shortened to fit the button's 2,000
// characters, ending in "…") the one endpoint that starts with the shown part.
const EndpointReport* find_endpoint(const Report& report, const std::string& name) {
    static constexpr std::string_view kEllipsis = "\u2026";
    for (const auto& e : report.endpoints) {
        if (e.stats.name == name) return &e;
    }
    if (!name.ends_with(kEllipsis)) return nullptr;
    const auto prefix = std::string_view(name).substr(0, name.size() - kEllipsis.size());
    const EndpointReport* found = nullptr;
    for (const auto& e : report.endpoints) {
        if (!e.stats.name.starts_with(prefix)) continue;
        if (found != nullptr) return nullptr;  // ambiguous: better nothing than the wrong ticket
        found = &e;
    }
    return found;
}

// What is said in the thread. The key and URL come from Jira's answer and the endpoint from New
// Relic, so all three are escaped; a failure is our own sentence (jira_response.cpp), escaped too.
std::string outcome_text(const TicketResult& result, const std::string& endpoint) {
    const auto key = slack_escape(result.key);
    const auto linked = slack_link(result.url, key);
    const auto link = linked.empty() ? key : linked;
    const auto name = slack_escape(endpoint, SlackSpan::code);
    switch (result.status) {
        case TicketStatus::created:
            return fmt::format(":white_check_mark: Created {} for `{}`.", link, name);
        case TicketStatus::commented:
            return fmt::format(
                ":memo: {} is already open for `{}`: I added the latest figures to it.", link, name
            );
        default:
            return fmt::format("Could not file the Jira ticket: {}", slack_escape(result.message));
    }
}

awaitable<void> run_jira(const Ports& ports, BlockAction action, JiraTarget target) {
    if (auto problem = improve_unavailable(ports); !problem.empty()) {
        co_await reply_in_thread(ports, action, problem);
        co_return;
    }
    if (ports.tickets == nullptr) {
        std::string text =
            "Jira is not configured on this server (JIRA_URL, JIRA_API_TOKEN, JIRA_PROJECT).";
        co_await reply_in_thread(ports, action, std::move(text));
        co_return;
    }
    ReportRequest request;
    request.service = target.service;
    auto report = co_await produce_report(ports, std::move(request));
    if (!report) {
        auto text = "Could not file the Jira ticket: " + slack_escape_marked(report.error());
        co_await reply_in_thread(ports, action, std::move(text));
        co_return;
    }
    const EndpointReport* endpoint = find_endpoint(*report, target.endpoint);
    if (endpoint == nullptr) {
        auto text = fmt::format(
            "`{}` is no longer among the endpoints of the report; nothing filed.",
            slack_escape(target.endpoint, SlackSpan::code)
        );
        co_await reply_in_thread(ports, action, std::move(text));
        co_return;
    }
    auto draft = make_ticket(*report, *endpoint, *ports.improve);
    auto filed = co_await ports.tickets->file(std::move(draft));
    auto text = outcome_text(filed, target.endpoint);
    co_await reply_in_thread(ports, action, std::move(text));
}

}  // namespace

Handled handle_improve_jira(const BlockAction& action) {
    Handled handled;  // a bare 200: Slack wants the ack, the answer comes in the thread
    auto target = parse_value(action.value);
    if (!target) return handled;
    handled.busy_text = "I am busy right now; press the button again in a minute.";
    handled.job = [action, t = std::move(*target)](const Ports& ports) {
        return run_jira(ports, action, t);
    };
    return handled;
}

}  // namespace nra
