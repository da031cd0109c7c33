// `/improve [service] [window]`: ack at once, then the report in the channel and one detail per
// endpoint in its thread. Without a service: the services with the most breaches.
#include <fmt/format.h>

#include "improve_report.hpp"
#include "nra/render/render.hpp"
#include "nra/report/render_report.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "private_reply.hpp"
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

awaitable<void> run_improve(const Ports& ports, SlashCommand command, ImproveArgs args) {
    if (auto problem = improve_unavailable(ports); !problem.empty()) {
        co_await respond_privately(ports, command.response_url, problem);
        co_return;
    }
    ReportRequest request;
    request.service = args.service;
    request.window_days = args.window_days;
    auto report = co_await produce_report(ports, std::move(request));
    if (!report) {
        auto text =
            fmt::format("Could not build the report: {}", slack_escape_marked(report.error()));
        co_await respond_privately(ports, command.response_url, std::move(text));
        co_return;
    }
    auto posted = co_await post_report(
        ports, command.channel_id, command.response_url, std::move(report).value()
    );
    if (!posted) co_await respond_privately(ports, command.response_url, posted.error());
}

awaitable<void> run_overview(const Ports& ports, SlashCommand command) {
    if (auto problem = improve_unavailable(ports); !problem.empty()) {
        co_await respond_privately(ports, command.response_url, problem);
        co_return;
    }
    auto reports = co_await produce_overview(ports, kOverviewServices);
    if (!reports) {
        auto text =
            fmt::format("Could not list the services: {}", slack_escape_marked(reports.error()));
        co_await respond_privately(ports, command.response_url, std::move(text));
        co_return;
    }
    OutgoingMessage message = to_message(render_services_overview(*reports));
    message.channel = command.channel_id;
    const auto posted = co_await ports.chat->post_message(message);
    if (!posted.ok()) {
        co_await ports.chat->respond(command.response_url, for_channel(message));
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
        handled.job = [command](const Ports& ports) { return run_overview(ports, command); };
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
    handled.job = [command, args](const Ports& ports) { return run_improve(ports, command, args); };
    return handled;
}

}  // namespace nra
