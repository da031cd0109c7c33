#include "answer_alert.hpp"

#include <fmt/format.h>

#include "post_analysis.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

std::string claim_key(const AlertMessage& alert, const std::string& id) {
    return fmt::format("alert:{}:{}", alert.channel, id);
}

awaitable<void> say(const Ports& ports, const AlertMessage& alert, std::string text) {
    OutgoingMessage message;
    message.channel = alert.channel;
    message.thread_ts = alert.ts;
    message.text = std::move(text);
    co_await ports.chat->post_message(std::move(message));
}

// https://slack.com/archives/C…/p<ts without the dot>: Slack opens the message in its workspace.
std::string archive_link(const std::string& channel, const std::string& ts) {
    std::string digits;
    for (const char c : ts) {
        if (c >= '0' && c <= '9') digits.push_back(c);
    }
    return fmt::format("https://slack.com/archives/{}/p{}", channel, digits);
}

// "12 min ago" from a Slack ts ("1700000000.000100") and the ports' clock; "" when unknown.
std::string ago(const Ports& ports, const std::string& ts) {
    if (!ports.epoch_seconds) return {};
    long long then = 0;
    for (const char c : ts) {
        if (c == '.') break;
        if (c < '0' || c > '9' || then > 100'000'000'000LL) return {};
        then = then * 10 + (c - '0');
    }
    const long long minutes = (ports.epoch_seconds() - then) / 60;
    if (then == 0 || minutes < 0) return {};
    return minutes == 0 ? " less than a minute ago" : fmt::format(" {} min ago", minutes);
}

// True when this alert is the first in the channel to bring the trace within the window; else
// points at the first answer (once per window).
awaitable<bool> first_time(const Ports& ports, const AlertMessage& alert, const std::string& id) {
    if (ports.store == nullptr) co_return true;
    const std::string key = claim_key(alert, id);
    const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(kAlertRepeatWindow);
    auto claiming = ports.store->claim(key, alert.ts, window);  // named: GCC 12
    if (co_await std::move(claiming)) co_return true;
    auto reading = ports.store->get(key);  // named: GCC 12
    const auto first = co_await std::move(reading);
    if (!first || *first == alert.ts) co_return false;  // the same alert delivered again
    auto noting = ports.store->claim("alert-repeat:" + key, alert.ts, window);  // GCC 12
    if (!co_await std::move(noting)) co_return false;
    co_await say(
        ports,
        alert,
        fmt::format(
            "Trace `{}` was analysed here{}: <{}|see that thread>. Repeats within 30 minutes "
            "are not analysed again.",
            slack_escape(id, SlackSpan::code),
            ago(ports, *first),
            archive_link(alert.channel, *first)
        )
    );
    co_return false;
}

// True while the channel is within its pace; the first analysis over it says so, once.
awaitable<bool> within_pace(const Ports& ports, const AlertMessage& alert) {
    if (ports.store == nullptr) co_return true;
    const auto window = std::chrono::duration_cast<std::chrono::milliseconds>(kAlertPaceWindow);
    auto counting = ports.store->increment("alert-pace:" + alert.channel, window);  // GCC 12
    const auto count = co_await std::move(counting);
    if (count <= kAlertTracesPerWindow) co_return true;
    if (count == kAlertTracesPerWindow + 1) {
        co_await say(
            ports,
            alert,
            fmt::format(
                "Alert storm: I analyse at most {} traces per {} minutes in this channel, so "
                "this one and the next few are skipped. `/trace <id>` still works.",
                kAlertTracesPerWindow,
                kAlertPaceWindow.count()
            )
        );
    }
    log_warning(
        ports, fmt::format("alert channel {}: trace skipped, over the pace", alert.channel)
    );
    co_return false;
}

// Forgets that this alert answered the trace: skipped or failed, a later alert may try again.
awaitable<void> release(const Ports& ports, const AlertMessage& alert, const std::string& id) {
    if (ports.store == nullptr) co_return;
    auto removing = ports.store->remove(claim_key(alert, id));  // named: GCC 12
    co_await std::move(removing);
}

// The trace's summary and detail in the alert's thread; nullopt when nothing was posted.
awaitable<std::optional<PostedAnalysis>> answer_one(
    const Ports& ports, const AlertMessage& alert, const TraceArgument& arg
) {
    auto checking = first_time(ports, alert, arg.trace_id);  // named: GCC 12
    if (!co_await std::move(checking)) co_return std::nullopt;
    auto pacing = within_pace(ports, alert);  // named: GCC 12
    if (!co_await std::move(pacing)) {
        co_await release(ports, alert, arg.trace_id);
        co_return std::nullopt;
    }
    AnalysisRequest request;
    request.query = TraceQuery{arg.trace_id, arg.alternates};
    request.team_id = alert.team_id;
    request.channel = alert.channel;
    request.wait_for_extras = ports.extras_grace;                   // the rest updates it in place
    auto analysing = analyse_for_slack(ports, std::move(request));  // named: GCC 12
    auto analysed = co_await std::move(analysing);
    if (!analysed) {
        co_await say(ports, alert, analysed.error());
        co_await release(ports, alert, arg.trace_id);  // e.g. not found yet: the next alert retries
        co_return std::nullopt;
    }
    auto posting =
        post_summary_and_detail(ports, std::move(analysed).value(), alert.channel, alert.ts);
    PostedAnalysis posted = co_await std::move(posting);
    if (posted.summary.ok()) co_return posted;
    co_await release(ports, alert, arg.trace_id);
    log_warning(
        ports,
        fmt::format(
            "alert channel {}: the analysis of trace {} was not posted ({})",
            alert.channel,
            arg.trace_id,
            posted.summary.code.empty() ? "unavailable" : posted.summary.code
        )
    );
    co_return std::nullopt;
}

}  // namespace

awaitable<void> answer_alert(const Ports& ports, AlertMessage alert) {
    const auto reacted = co_await ports.chat->add_reaction(alert.channel, alert.ts, "eyes");
    if (!reacted.ok()) {
        log_warning(
            ports, fmt::format("alert channel {}: no reaction ({})", alert.channel, reacted.code)
        );
    }
    std::vector<PostedAnalysis> later;  // summaries with extras still coming: finished last
    for (const auto& arg : alert.traces) {
        auto answering = answer_one(ports, alert, arg);  // named: GCC 12
        auto one = co_await std::move(answering);
        if (!one) continue;
        auto finishing = finish_or_defer(ports, std::move(*one), later);  // named: GCC 12
        co_await std::move(finishing);
    }
    auto finishing = finish_all(ports, std::move(later));  // named: GCC 12
    co_await std::move(finishing);
}

}  // namespace nra
