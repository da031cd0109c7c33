// `/improve [service] [window]`: ack at once, then the report in the channel and one detail per
// endpoint in its thread. Without a service: the services with the most breaches.
#include <fmt/format.h>

#include "improve_report.hpp"
#include "nra/render.hpp"
#include "nra/render_report.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "registry.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr const char* kImproveUsage =
    "Usage: `/improve &lt;service&gt; [window]`, e.g. `/improve checkout` or "
    "`/improve checkout 14d` (window 1–30 days, default from the configuration). `/improve` "
    "alone lists the services with the most breaches. `/improve slo [service]` reviews the SLOs: "
    "how they did over their last windows and whether to keep, tighten or loosen them.";
constexpr int kOverviewServices = 10;

struct ImproveArgs {
    std::string service;
    int window_days = 0;
    bool bad_window = false;  // the last word looks like a window but is out of range
};

bool looks_like_window(const std::string& word) {
    if (word.empty()) return false;
    const auto digits = word.back() == 'd' ? word.substr(0, word.size() - 1) : word;
    return !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

// "<service> [window]": a last word like "14d" is the window; service names may hold spaces.
ImproveArgs parse_args(const std::string& text) {
    ImproveArgs args;
    args.service = trim(text);
    const auto space = args.service.find_last_of(" \t");
    if (space == std::string::npos) return args;
    const auto last = args.service.substr(space + 1);
    if (!looks_like_window(last)) return args;
    args.window_days = parse_window_days(last);
    args.bad_window = args.window_days == 0;
    args.service = trim(args.service.substr(0, space));
    return args;
}

awaitable<void> run_improve(Services services, SlashCommand command, ImproveArgs args) {
    if (auto problem = improve_unavailable(services); !problem.empty()) {
        co_await respond_privately(services, command.response_url, problem);
        co_return;
    }
    ReportRequest request;
    request.service = args.service;
    request.window_days = args.window_days;
    auto outcome = co_await produce_report(report_ports_of(services), std::move(request));
    if (!outcome.ok) {
        auto text =
            fmt::format("Could not build the report: {}", slack_escape_marked(outcome.problem));
        co_await respond_privately(services, command.response_url, std::move(text));
        co_return;
    }
    auto posted = co_await post_report(
        services, command.channel_id, command.response_url, std::move(outcome.report)
    );
    if (!posted.ok) co_await respond_privately(services, command.response_url, posted.problem);
}

awaitable<void> run_overview(Services services, SlashCommand command) {
    if (auto problem = improve_unavailable(services); !problem.empty()) {
        co_await respond_privately(services, command.response_url, problem);
        co_return;
    }
    auto outcome = co_await produce_overview(report_ports_of(services), kOverviewServices);
    if (!outcome.ok) {
        auto text =
            fmt::format("Could not list the services: {}", slack_escape_marked(outcome.problem));
        co_await respond_privately(services, command.response_url, std::move(text));
        co_return;
    }
    OutgoingMessage message = to_message(render_services_overview(outcome.reports));
    message.channel = command.channel_id;
    const auto posted = co_await services.chat.post_message(message);
    if (!posted.ok()) {
        ResponseUrlMessage fallback;
        fallback.text = message.text;
        fallback.blocks = message.blocks;
        fallback.in_channel = true;
        co_await services.chat.respond(command.response_url, fallback);
    }
}

}  // namespace

Handled handle_improve_command(const SlashCommand& command) {
    Handled handled;
    handled.busy_text = "I am busy with other reports right now; try again in a minute.";
    const auto text = trim(command.text);
    if (text == "help") {
        handled.ack.body = ephemeral_ack(kImproveUsage);
        return handled;
    }
    if (text.empty()) {
        handled.ack.body = ephemeral_ack(
            ":hourglass_flowing_sand: Looking for the services with the most breaches…"
        );
        handled.job = [command](Services services) {
            return run_overview(std::move(services), command);
        };
        return handled;
    }
    if (text == "slo" || text.rfind("slo ", 0) == 0) {
        return handle_improve_slo(command, trim(text.substr(3)));
    }
    auto args = parse_args(text);
    if (args.bad_window) {
        handled.ack.body =
            ephemeral_ack(fmt::format("The window must be 1–30 days. {}", kImproveUsage));
        return handled;
    }
    if (auto problem = check_service_name(args.service); !problem.empty()) {
        handled.ack.body = ephemeral_ack(fmt::format("{}. {}", problem, kImproveUsage));
        return handled;
    }
    handled.ack.body = ephemeral_ack(fmt::format(
        ":hourglass_flowing_sand: Building the improvement report for `{}`…",
        slack_escape(args.service, SlackSpan::code)
    ));
    handled.job = [command, args](Services services) {
        return run_improve(std::move(services), command, args);
    };
    return handled;
}

}  // namespace nra
