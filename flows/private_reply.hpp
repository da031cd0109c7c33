// Replies only the person who asked sees, and the sentences every flow uses when Slack refuses
// a post: through a response_url, as an ephemeral message in a thread, or in a button's thread.
#pragma once

#include <string>
#include <string_view>

#include "analyse_trace.hpp"
#include "nra/chat.hpp"

namespace nra {

// The line for a fetch that outlasts Ports::patience, said privately: through a response_url,
// or as an ephemeral message to `user` in a thread.
std::string still_waiting_text(const std::string& trace_id);
StillWaiting still_waiting_privately(
    const Ports& ports, std::string response_url, std::string trace_id
);
StillWaiting still_waiting_in_thread(
    const Ports& ports,
    std::string user,
    std::string channel,
    std::string thread,
    const std::string& trace_id
);

// `message` through a response_url, visible to the whole channel (for when the bot may not post
// there itself).
ResponseUrlMessage for_channel(const OutgoingMessage& message);

// A reply through response_url that only the user who acted sees.
boost::asio::awaitable<void> respond_privately(
    const Ports& ports, std::string response_url, std::string text
);

// A button's answer in the thread of the message that carries it (or that message's own thread);
// privately through the action's response_url when Slack refuses the post.
boost::asio::awaitable<void> reply_in_thread(
    const Ports& ports, BlockAction action, std::string text
);

// "I am not a member of this channel…", ending with what to do once invited.
std::string not_member_text(std::string_view then);

// "The <ready> is ready but Slack refused the message (<code>)." ("Slack refused the message
// (<code>)." when `ready` is empty); Slack's error code is escaped like any text from outside.
std::string refused_text(std::string_view ready, const std::string& code);

}  // namespace nra
