#include "private_reply.hpp"

#include <fmt/format.h>

#include "nra/render/render.hpp"

namespace nra {
namespace {

boost::asio::awaitable<void> post_ephemeral_quietly(
    const Ports& ports, std::string user, OutgoingMessage message
) {
    co_await ports.chat->post_ephemeral(std::move(user), std::move(message));
}

}  // namespace

std::string still_waiting_text(const std::string& trace_id) {
    return fmt::format(
        ":hourglass_flowing_sand: Still waiting for New Relic to return trace `{}`. The analysis "
        "follows as soon as it arrives, or a line saying why not.",
        trace_id
    );
}

StillWaiting still_waiting_privately(
    const Ports& ports, std::string response_url, std::string trace_id
) {
    if (response_url.empty() || ports.chat == nullptr) return {};
    return [&ports, url = std::move(response_url), id = std::move(trace_id)] {
        return respond_privately(ports, url, still_waiting_text(id));
    };
}

StillWaiting still_waiting_in_thread(
    const Ports& ports,
    std::string user,
    std::string channel,
    std::string thread,
    const std::string& trace_id
) {
    if (user.empty() || channel.empty() || ports.chat == nullptr) return {};
    OutgoingMessage message;
    message.channel = std::move(channel);
    message.thread_ts = std::move(thread);
    message.text = still_waiting_text(trace_id);
    return [&ports, user = std::move(user), message = std::move(message)] {
        return post_ephemeral_quietly(ports, user, message);
    };
}

std::string not_member_text(std::string_view then) {
    return fmt::format(
        "I am not a member of this channel, so I cannot post there. Invite me with `/invite "
        "@nr-analyzer` and {}.",
        then
    );
}

std::string refused_text(std::string_view ready, const std::string& code) {
    const std::string shown = code.empty() ? std::string("unavailable") : slack_escape(code);
    if (ready.empty()) return fmt::format("Slack refused the message ({}).", shown);
    return fmt::format("The {} is ready but Slack refused the message ({}).", ready, shown);
}

ResponseUrlMessage for_channel(const OutgoingMessage& message) {
    ResponseUrlMessage out;
    out.text = message.text;
    out.blocks = message.blocks;
    out.in_channel = true;
    return out;
}

boost::asio::awaitable<void> respond_privately(
    const Ports& ports, std::string response_url, std::string text
) {
    ResponseUrlMessage message;
    message.text = std::move(text);  // not in_channel: ephemeral
    co_await ports.chat->respond(std::move(response_url), message);
}

boost::asio::awaitable<void> reply_in_thread(
    const Ports& ports, BlockAction action, std::string text
) {
    OutgoingMessage message;
    message.channel = action.channel_id;
    message.thread_ts = action.thread_ts.empty() ? action.message_ts : action.thread_ts;
    message.text = std::move(text);
    const auto posted = co_await ports.chat->post_message(message);
    if (posted.ok() || action.response_url.empty()) co_return;
    co_await respond_privately(ports, action.response_url, message.text);
}

}  // namespace nra
