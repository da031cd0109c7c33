// `/incident <service | service endpoint> [window]` and the mention "what's wrong with
// <service>?": ack at once, then the report's summary in the channel (or the mention's thread)
// and its detail in the thread.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "improve_report.hpp"
#include "incident_words.hpp"
#include "nra/render/render.hpp"
#include "post_report.hpp"
#include "private_reply.hpp"
#include "registry.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr const char* kIncidentUsage =
    "Usage: `/incident &lt;service&gt; [endpoint] [window]`, e.g. `/incident checkout`, "
    "`/incident checkout 1h` or `/incident checkout POST /api/orders 15m` (window 5m–24h, "
    "default 30m). I compare each endpoint with its usual week, analyse the traces of those that "
    "fail or slowed down (rare ones too) and name the most likely cause with its evidence. "
    "In a thread, ask `@nr-analyzer what's wrong with checkout?`.";

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\n");
    return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Slack writes the mention as <@U123>; typographic apostrophes are common on phones.
std::string without_mentions(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "<@") == 0) {
            const auto end = text.find('>', i);
            if (end != std::string_view::npos) {
                i = end;
                continue;
            }
        }
        if (text.compare(i, 3, "\xE2\x80\x99") == 0) {  // ’
            out.push_back('\'');
            i += 2;
            continue;
        }
        out.push_back(text[i]);
    }
    return out;
}

}  // namespace

IncidentWords parse_incident_words(std::string_view text) {
    IncidentWords out;
    std::string rest = trim(text);
    if (!rest.empty() && rest.front() == '"') {
        const auto close = rest.find('"', 1);
        if (close == std::string::npos) {
            out.problem = "the service name's closing quote is missing";
            return out;
        }
        out.request.service = rest.substr(1, close - 1);
        rest = trim(std::string_view(rest).substr(close + 1));
    } else {
        const auto space = rest.find_first_of(" \t");
        out.request.service = rest.substr(0, space);
        rest =
            space == std::string::npos ? std::string() : trim(std::string_view(rest).substr(space));
    }
    const auto last_space = rest.find_last_of(" \t");
    const std::string last = last_space == std::string::npos ? rest : rest.substr(last_space + 1);
    if (looks_like_incident_window(lower(last))) {
        auto minutes = parse_incident_window(last);
        if (!minutes) {
            out.problem = minutes.error();
            return out;
        }
        out.request.window_minutes = *minutes;
        rest = last_space == std::string::npos ? std::string()
                                               : trim(std::string_view(rest).substr(0, last_space));
    }
    out.request.endpoint = rest;
    if (auto problem = check_service_name(out.request.service); !problem.empty())
        out.problem = problem;
    return out;
}

std::optional<std::string> incident_question(std::string_view text) {
    const std::string plain = trim(without_mentions(text));
    const std::string folded = lower(plain);
    static constexpr std::array<std::string_view, 6> kAsks{
        "what's wrong with ",
        "what is wrong with ",
        "whats wrong with ",
        "what's going on with ",
        "what is going on with ",
        "incident "};
    for (const auto ask : kAsks) {
        const auto at = folded.find(ask);
        if (at == std::string::npos) continue;
        if (ask == "incident " && at != 0) continue;  // "this incident is bad" asks nothing
        std::string rest = trim(std::string_view(plain).substr(at + ask.size()));
        while (!rest.empty() && (rest.back() == '?' || rest.back() == '.' || rest.back() == '!'))
            rest.pop_back();
        rest = trim(rest);
        if (!rest.empty()) return rest;
    }
    return std::nullopt;
}

awaitable<void> answer_incident(
    const Ports& ports,
    IncidentRequest request,
    std::string channel,
    std::string thread_ts,
    std::string response_url
) {
    auto producing = produce_incident(ports, std::move(request));  // named: GCC 12
    auto report = co_await std::move(producing);
    std::string problem;
    if (!report) {
        problem = "Could not look into it: " + slack_escape_marked(report.error());
    } else {
        auto posting =
            post_incident(ports, channel, thread_ts, response_url, std::move(report).value());
        auto posted = co_await std::move(posting);
        if (!posted) problem = posted.error();
    }
    if (problem.empty()) co_return;
    if (!response_url.empty()) {
        co_await respond_privately(ports, response_url, std::move(problem));
        co_return;
    }
    OutgoingMessage message;
    message.channel = std::move(channel);
    message.thread_ts = std::move(thread_ts);
    message.text = std::move(problem);
    co_await ports.chat->post_message(message);
}

Handled handle_incident_command(const SlashCommand& command) {
    Handled handled;
    handled.busy_text = "I am busy with other analyses right now; try again in a minute.";
    const auto text = trim(command.text);
    if (text.empty() || text == "help") {
        handled.ack.body = ephemeral_ack(kIncidentUsage);
        return handled;
    }
    auto words = parse_incident_words(text);
    if (!words.problem.empty()) {
        handled.ack.body =
            ephemeral_ack(slack_escape_marked(words.problem) + ". " + std::string(kIncidentUsage));
        return handled;
    }
    handled.ack.body = ephemeral_ack(fmt::format(
        ":hourglass_flowing_sand: Looking at `{}` over the last {} min: its endpoints against "
        "their usual week, then "
        "the traces of those that are off…",
        slack_escape(words.request.service, SlackSpan::code),
        words.request.window_minutes
    ));
    handled.job = [command, request = words.request](const Ports& ports) {
        return answer_incident(ports, request, command.channel_id, "", command.response_url);
    };
    return handled;
}

}  // namespace nra
