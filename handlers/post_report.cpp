#include "post_report.hpp"

#include "nra/render_report.hpp"
#include "post_analysis.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

awaitable<PostedReport> post_via_response_url(
    Services services, std::string response_url, OutgoingMessage summary
) {
    PostedReport out;
    if (response_url.empty()) {
        out.problem = "I am not a member of that channel: invite me with `/invite @nr-analyzer`.";
        co_return out;
    }
    ResponseUrlMessage message;
    message.text = summary.text;
    message.blocks = summary.blocks;
    message.in_channel = true;
    co_await services.chat.respond(response_url, message);
    ResponseUrlMessage hint;
    hint.text =
        "I am not a member of this channel, so the details could not go into a thread. "
        "Invite me with `/invite @nr-analyzer` and run `/improve` again for them.";
    co_await services.chat.respond(response_url, hint);
    out.ok = true;
    co_return out;
}

}  // namespace

std::string improve_unavailable(const Services& services) {
    if (services.metrics == nullptr || services.improve == nullptr) {
        return "/improve is not set up on this server.";
    }
    return {};
}

awaitable<PostedReport> post_report(
    Services services, std::string channel, std::string response_url, Report report
) {
    PostedReport out;
    OutgoingMessage summary = to_message(render_report_blocks_summary(report));
    summary.channel = channel;
    const auto posted = co_await services.chat.post_message(summary);
    if (posted.error == ChatError::not_in_channel || posted.error == ChatError::channel_not_found) {
        co_return co_await post_via_response_url(services, response_url, summary);
    }
    if (!posted.ok()) {
        out.problem = refused_text("report", posted.code);
        co_return out;
    }
    out.ok = true;
    out.ts = posted.ts;
    for (const auto& rendered : render_report_blocks_details(report)) {
        OutgoingMessage detail = to_message(rendered);
        detail.channel = posted.channel.empty() ? channel : posted.channel;
        detail.thread_ts = posted.ts;
        co_await services.chat.post_message(detail);
    }
    co_return out;
}

}  // namespace nra
