// ChatClient port: posting into Slack (Web API methods and response_url). The Slack adapter maps
// `ok:false` codes and HTTP failures to ChatError; rate limits are honoured inside the adapter.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "nra/chat.hpp"

namespace nra {

enum class ChatError {
    none,
    not_in_channel,     // the bot is not a member: fall back to response_url / tell the user
    channel_not_found,  // also: a private channel the bot cannot see
    invalid_auth,       // invalid_auth, not_authed, token_revoked, account_inactive
    rate_limited,       // still limited after honouring Retry-After within the budget
    too_long,           // msg_too_long / msg_blocks_too_long even as plain text
    unavailable,        // network, TLS, 5xx, unreadable answers
    other,              // any other `error` code (kept in ChatResult::code)
};

struct ChatResult {
    ChatError error = ChatError::none;
    std::string code;     // Slack's `error` string when ok:false, else empty
    std::string channel;  // where the message landed
    std::string ts;       // its timestamp: the thread_ts for replies under it

    bool ok() const { return error == ChatError::none; }
};

// A reply through a slash command's response_url (works without channel membership; 5 uses in
// 30 minutes). `in_channel` makes it visible to everyone.
struct ResponseUrlMessage {  // NOLINT(bugprone-exception-escape): see OutgoingMessage
    std::string text;
    Blocks blocks;  // a Block Kit array or null
    bool in_channel = false;
    bool replace_original = false;
    std::string thread_ts;
};

// chat.unfurl: either `channel` + `ts` (a posted message) or `unfurl_id` + `source` (a preview
// in the composer). `unfurls` is the object {url: {"blocks": [...]}}.
struct Unfurl {  // NOLINT(bugprone-exception-escape): see OutgoingMessage
    std::string channel;
    std::string ts;
    std::string unfurl_id;
    std::string source;
    Blocks unfurls;
};

// A file shared into a channel or thread (files upload v2: getUploadURLExternal, the upload
// itself, completeUploadExternal).
struct FileUpload {
    std::string channel;
    std::string thread_ts;
    std::string filename;  // e.g. "waterfall-4bf92f35.png"
    std::string title;
    std::string initial_comment;
    std::string bytes;  // the file's content
};

class ChatClient {
public:
    virtual ~ChatClient() = default;
    // chat.postMessage; when `blocks` are refused (invalid_blocks, msg_blocks_too_long,
    // msg_too_long) the adapter retries once with `text` only so the answer still arrives.
    virtual boost::asio::awaitable<ChatResult> post_message(OutgoingMessage message) = 0;
    // chat.update of a message the bot posted (e.g. the "working…" placeholder).
    virtual boost::asio::awaitable<ChatResult> update_message(
        std::string ts, OutgoingMessage message
    ) = 0;
    // chat.postEphemeral: visible to `user` only.
    virtual boost::asio::awaitable<ChatResult> post_ephemeral(
        std::string user, OutgoingMessage message
    ) = 0;
    virtual boost::asio::awaitable<ChatResult> respond(
        std::string response_url, ResponseUrlMessage message
    ) = 0;
    virtual boost::asio::awaitable<ChatResult> unfurl(Unfurl request) = 0;
    // views.publish of a Home tab view ({"type":"home","blocks":[…]}).
    virtual boost::asio::awaitable<ChatResult> publish_home(std::string user_id, Blocks view) = 0;
    // ChatResult::ts is the file id on success.
    virtual boost::asio::awaitable<ChatResult> upload_file(FileUpload file) = 0;
    // reactions.add: the emoji `name` (e.g. "eyes") on the message `ts`; a reaction that is
    // already there counts as success.
    virtual boost::asio::awaitable<ChatResult> add_reaction(
        std::string channel, std::string ts, std::string name
    ) = 0;
};

}  // namespace nra
