#include "post_report.hpp"

#include "nra/render/render_incident.hpp"
#include "nra/report/render_report.hpp"
#include "post_analysis.hpp"
#include "private_reply.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

bool outside_channel(const ChatResult& posted) {
    return posted.error == ChatError::not_in_channel ||
           posted.error == ChatError::channel_not_found;
}

awaitable<Result<std::string>> post_via_response_url(
    const Ports& ports, std::string response_url, OutgoingMessage summary, std::string command
) {
    if (response_url.empty()) {
        co_return make_error(
            "I am not a member of that channel: invite me with `/invite @nr-analyzer`."
        );
    }
    co_await ports.chat->respond(response_url, for_channel(summary));
    ResponseUrlMessage hint;
    hint.text =
        "I am not a member of this channel, so the details could not go into a thread. "
        "Invite me with `/invite @nr-analyzer` and run `" +
        command + "` again for them.";
    co_await ports.chat->respond(response_url, hint);
    co_return std::string();
}

}  // namespace

awaitable<Result<std::string>> post_report(
    const Ports& ports, std::string channel, std::string response_url, Report report
) {
    OutgoingMessage summary = to_message(render_report_blocks_summary(report));
    summary.channel = channel;
    const auto posted = co_await ports.chat->post_message(summary);
    if (outside_channel(posted)) {
        co_return co_await post_via_response_url(ports, response_url, summary, "/improve");
    }
    if (!posted.ok()) co_return make_error(refused_text("report", posted.code));
    for (const auto& rendered : render_report_blocks_details(report)) {
        OutgoingMessage detail = to_message(rendered);
        detail.channel = posted.channel.empty() ? channel : posted.channel;
        detail.thread_ts = posted.ts;
        co_await ports.chat->post_message(detail);
    }
    co_return posted.ts;
}

awaitable<Result<std::string>> post_incident(
    const Ports& ports,
    std::string channel,
    std::string thread_ts,
    std::string response_url,
    IncidentReport report
) {
    OutgoingMessage summary = to_message(render_incident_blocks_summary(report));
    summary.channel = channel;
    summary.thread_ts = thread_ts;
    const auto posted = co_await ports.chat->post_message(summary);
    if (outside_channel(posted)) {
        co_return co_await post_via_response_url(ports, response_url, summary, "/incident");
    }
    if (!posted.ok()) co_return make_error(refused_text("incident report", posted.code));
    OutgoingMessage detail = to_message(render_incident_blocks_detail(report));
    detail.channel = posted.channel.empty() ? channel : posted.channel;
    detail.thread_ts = thread_ts.empty() ? posted.ts : thread_ts;
    co_await ports.chat->post_message(detail);
    co_return posted.ts;
}

awaitable<Result<std::string>> post_slo_digest(
    const Ports& ports, std::string channel, std::string response_url, slo::Digest digest
) {
    OutgoingMessage message = to_message(slo::render_digest_blocks(digest));
    message.channel = channel;
    const auto posted = co_await ports.chat->post_message(message);
    if (posted.ok()) co_return posted.ts;
    const bool outside = outside_channel(posted);
    if (outside && !response_url.empty()) {
        co_await ports.chat->respond(response_url, for_channel(message));
        co_return std::string();  // the buttons work there too: Slack sends the message's ts
    }
    co_return make_error(
        outside ? not_member_text("run `/improve slo` again")
                : refused_text("SLO review", posted.code)
    );
}

}  // namespace nra
