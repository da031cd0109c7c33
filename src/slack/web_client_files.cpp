// The Slack Web API adapter's link unfurls (chat.unfurl), Home tab (views.publish) and file
// upload v2: files.getUploadURLExternal, the raw bytes to its upload_url, then
// files.completeUploadExternal to share the file. Each step is one paced call with its own budget.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "log/log.hpp"
#include "slack/json_fields.hpp"
#include "slack/web_client.hpp"
#include "slack/web_client_impl.hpp"

namespace nra::slack {
namespace {

namespace asio = boost::asio;
using json = nlohmann::ordered_json;
using detail::Answer;
using detail::Call;
using detail::failure;
using detail::kFormType;
using detail::Reply;
using detail::State;
using detail::StatePtr;
using std::chrono::milliseconds;

constexpr std::string_view kGetUploadUrl = "files.getUploadURLExternal";
constexpr std::string_view kCompleteUpload = "files.completeUploadExternal";

// Where a file's bytes go, and the id Slack knows the file by.
struct UploadTarget {
    ChatResult result;
    std::string url;
    std::string file_id;
};

std::string dump(const json& doc) {
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A request the adapter will not send: logged (the code only, never the content) and answered.
ChatResult refuse(std::string_view method, std::string code, ChatError error = ChatError::other) {
    log::warn("slack {} refused before sending: {}", method, code);
    return failure(error, std::move(code));
}

bool has_target(const Unfurl& request) {
    return (!request.channel.empty() && !request.ts.empty()) ||
           (!request.unfurl_id.empty() && !request.source.empty());
}

// unfurl_id + source when known (they work for the composer too), else channel + ts. Slack's
// reference types `unfurls` as a "URL-encoded JSON" string: that is its form encoding. In a JSON
// body the object itself goes (as python-slack-sdk's chat_unfurl sends it; a JSON-encoded
// string there made Slack refuse the call, getsentry/sentry#100168).
json unfurl_body(const Unfurl& request, json unfurls) {
    json body = json::object();
    if (!request.unfurl_id.empty() && !request.source.empty()) {
        body["unfurl_id"] = request.unfurl_id;
        body["source"] = request.source;
    } else {
        body["channel"] = request.channel;
        body["ts"] = request.ts;
    }
    body["unfurls"] = std::move(unfurls);
    return body;
}

// files.getUploadURLExternal takes form-encoded arguments (as python-slack-sdk sends them).
Call upload_url_call(const State& state, const FileUpload& file) {
    auto call = detail::api_call(state, std::string(kGetUploadUrl), file.channel, "files");
    call.content_type = kFormType;
    // No alt_txt: with it Slack answers ok:true to files.completeUploadExternal and then never
    // shares the file (python-slack-sdk#1818, paradigmxyz/centaur#311). The title describes it.
    call.body = detail::form_body(
        {{"filename", file.filename}, {"length", std::to_string(file.bytes.size())}}
    );
    return call;
}

UploadTarget read_target(const Reply& reply) {
    if (!reply.result.ok()) return UploadTarget{reply.result, {}, {}};
    const auto doc = json::parse(reply.body, nullptr, false);
    UploadTarget target;
    if (doc.is_object()) {
        target.url = string_at(doc, "upload_url");
        target.file_id = string_at(doc, "file_id");
    }
    if (target.url.empty() || target.file_id.empty()) {
        log::warn("slack {}: answer without upload_url or file_id", kGetUploadUrl);
        target.result = failure(ChatError::unavailable, "bad_answer");
    }
    return target;
}

// The raw bytes, without the token: the upload_url itself authorises them. A deadline that
// grows by a millisecond per KiB leaves a large file time to travel (within the budget).
Call bytes_call(const UploadTarget& target, const FileUpload& file, std::string bytes) {
    Call call;
    call.method = "upload";
    call.url = target.url;
    call.lane = "upload:" + target.file_id;
    call.channel = file.channel;
    call.answer = Answer::upload;
    call.content_type = "application/octet-stream";
    call.attempt_timeout = detail::kAttemptTimeout + milliseconds{bytes.size() / 1024};
    call.body = std::move(bytes);
    return call;
}

// Shares the file in the channel (or thread); paced with the channel's messages, in order.
Call complete_call(const State& state, const std::string& file_id, const FileUpload& file) {
    const auto lane = file.channel.empty() ? std::string("files") : "channel:" + file.channel;
    auto call = detail::api_call(state, std::string(kCompleteUpload), file.channel, lane);
    const json files =
        json::array({{{"id", file_id}, {"title", file.title.empty() ? file.filename : file.title}}}
        );
    call.content_type = kFormType;
    call.body = detail::form_body(
        {{"files", dump(files)},
         {"channel_id", file.channel},
         {"thread_ts", file.thread_ts},
         {"initial_comment", file.initial_comment}}
    );
    return call;
}

// Slack's ok:true alone does not mean the file was shared: the answer's `files` must list it.
ChatResult confirm_shared(const Reply& reply, const std::string& file_id) {
    if (!reply.result.ok()) return reply.result;
    const auto doc = json::parse(reply.body, nullptr, false);
    const auto* files = doc.is_object() && doc.contains("files") ? &doc["files"] : nullptr;
    if (files != nullptr && files->is_array()) {
        for (const auto& f : *files) {
            if (f.is_object() && string_at(f, "id") == file_id) return reply.result;
        }
    }
    log::warn("slack {}: ok, but file {} is not in the answer's files", kCompleteUpload, file_id);
    return failure(ChatError::unavailable, "file_not_shared");
}

asio::awaitable<ChatResult> upload_steps(StatePtr state, FileUpload file) {
    auto ask = upload_url_call(*state, file);
    const auto asked = co_await detail::run_call_reply(state, std::move(ask));
    const auto target = read_target(asked);
    if (!target.result.ok()) co_return target.result;
    if (!is_allowed_upload_url(target.url, state->options.api_url)) {
        const auto origin = detail::origin_of(target.url);
        log::warn("slack upload refused: upload_url on {}", origin.empty() ? "?" : origin);
        co_return failure(ChatError::other, "bad_upload_url");
    }
    auto send = bytes_call(target, file, std::move(file.bytes));
    const auto sent = co_await detail::run_call(state, std::move(send));
    if (!sent.ok()) co_return sent;
    auto complete = complete_call(*state, target.file_id, file);
    const auto completed = co_await detail::run_call_reply(state, std::move(complete));
    auto done = confirm_shared(completed, target.file_id);
    if (done.ok()) {
        done.channel = file.channel;
        done.ts = target.file_id;
    }
    co_return done;
}

}  // namespace

asio::awaitable<ChatResult> WebClient::unfurl(Unfurl request) {
    constexpr std::string_view kMethod = "chat.unfurl";
    if (!has_target(request)) return detail::ready(refuse(kMethod, "invalid_arguments"));
    json unfurls = std::move(request.unfurls);
    if (!unfurls.is_object() || unfurls.empty()) {
        return detail::ready(refuse(kMethod, "invalid_unfurls"));
    }
    const auto where = request.channel.empty() ? request.source : request.channel;
    auto call = detail::api_call(impl_->state, std::string(kMethod), where, "unfurl:" + where);
    call.body = dump(unfurl_body(request, std::move(unfurls)));
    return detail::run_call(Impl::state_of(impl_), std::move(call));
}

asio::awaitable<ChatResult> WebClient::publish_home(std::string user_id, Blocks view) {
    constexpr std::string_view kMethod = "views.publish";
    if (!view.is_object()) return detail::ready(refuse(kMethod, "invalid_view"));
    auto call = detail::api_call(impl_->state, std::string(kMethod), user_id, "home:" + user_id);
    const json body{{"user_id", user_id}, {"view", std::move(view)}};
    call.body = dump(body);
    return detail::run_call(Impl::state_of(impl_), std::move(call));
}

asio::awaitable<ChatResult> WebClient::add_reaction(
    std::string channel, std::string ts, std::string name
) {
    constexpr std::string_view kMethod = "reactions.add";
    auto call =
        detail::api_call(impl_->state, std::string(kMethod), channel, "reactions:" + channel);
    call.body = dump(json{{"channel", channel}, {"timestamp", ts}, {"name", name}});
    auto running = detail::run_call(Impl::state_of(impl_), std::move(call));  // named: GCC 12
    ChatResult result = co_await std::move(running);
    if (result.code == "already_reacted") result = ChatResult{ChatError::none, "", channel, ts};
    co_return result;
}

asio::awaitable<ChatResult> WebClient::upload_file(FileUpload file) {
    if (file.bytes.size() > kMaxUploadBytes) {
        return detail::ready(refuse(kGetUploadUrl, "file_too_large", ChatError::too_long));
    }
    if (file.bytes.empty()) return detail::ready(refuse(kGetUploadUrl, "empty_file"));
    if (file.filename.empty()) file.filename = "file";  // Slack requires a name
    return upload_steps(Impl::state_of(impl_), std::move(file));
}

bool is_allowed_upload_url(std::string_view url, std::string_view api_url) {
    const auto target = detail::origin_of(url);
    return !target.empty() &&
           (target == "https://files.slack.com:443" || target == detail::origin_of(api_url));
}

}  // namespace nra::slack
