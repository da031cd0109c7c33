// In-memory fakes of the ports for handler tests: a TraceSource answering from trace documents
// (or with a scripted failure) and a ChatClient that records what would be posted.
#pragma once

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "nra/formats/formats.hpp"
#include "nra/ports/chat_client.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra::test {

class FakeTraceSource final : public TraceSource {
public:
    void add(const std::string& trace_id, std::string document) {
        documents_[trace_id] = std::move(document);
    }
    void fail_with(FetchStatus status, std::string message) {
        failure_ = status;
        failure_message_ = std::move(message);
    }
    std::vector<std::string> asked;  // trace ids, in order

    // Fetches wait until release() (New Relic hanging), instead of answering at once.
    void hold() { holding_ = true; }
    void release() {
        holding_ = false;
        for (auto& gate : gates_) gate->cancel();
    }

    boost::asio::awaitable<FetchResult> fetch(TraceQuery query, ProgressFn /*progress*/) override {
        asked.push_back(query.trace_id);
        if (holding_) {
            auto gate = std::make_shared<boost::asio::steady_timer>(
                co_await boost::asio::this_coro::executor,
                boost::asio::steady_timer::time_point::max()
            );
            gates_.push_back(gate);
            boost::system::error_code ec;
            co_await gate->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        }
        FetchResult r;
        if (failure_ != FetchStatus::found) {
            r.status = failure_;
            r.message = failure_message_;
            co_return r;
        }
        auto it = documents_.find(query.trace_id);
        if (it == documents_.end()) {
            r.status = FetchStatus::not_found;
            r.message = "no spans for trace " + query.trace_id;
            co_return r;
        }
        auto trace = read_trace(it->second);
        r.status = FetchStatus::found;
        r.tree.emplace(assemble(std::move(trace).value()));
        co_return r;
    }

private:
    std::map<std::string, std::string> documents_;
    bool holding_ = false;
    std::vector<std::shared_ptr<boost::asio::steady_timer>> gates_;
    FetchStatus failure_ = FetchStatus::found;
    std::string failure_message_;
};

struct ChatCall {
    std::string method;  // post_message, update_message, post_ephemeral, respond
    OutgoingMessage message;
    ResponseUrlMessage response;
    std::string target;  // ts for update, user for ephemeral and home, URL for respond
    Unfurl unfurl;       // unfurl
    Blocks view;         // publish_home
    FileUpload file;     // upload_file

    static ChatCall of(std::string method, std::string target = {}) {
        ChatCall call;
        call.method = std::move(method);
        call.target = std::move(target);
        return call;
    }
};

class FakeChatClient final : public ChatClient {
public:
    std::vector<ChatCall> calls;
    // Called with every private answer (respond, post_ephemeral) as it is recorded.
    std::function<void(const ChatCall&)> on_private;
    std::map<std::string, ChatError> channel_errors;  // post_message into these channels fails

    boost::asio::awaitable<ChatResult> post_message(OutgoingMessage message) override {
        auto call = ChatCall::of("post_message");
        call.message = message;
        calls.push_back(std::move(call));
        ChatResult r;
        if (auto it = channel_errors.find(message.channel); it != channel_errors.end()) {
            r.error = it->second;
            r.code = "scripted";
            co_return r;
        }
        r.channel = message.channel;
        r.ts = "1700000000." + std::to_string(100000 + calls.size());
        co_return r;
    }
    boost::asio::awaitable<ChatResult> update_message(std::string ts, OutgoingMessage message)
        override {
        auto call = ChatCall::of("update_message", ts);
        call.message = message;
        calls.push_back(std::move(call));
        co_return ChatResult{ChatError::none, "", message.channel, ts};
    }
    boost::asio::awaitable<ChatResult> post_ephemeral(std::string user, OutgoingMessage message)
        override {
        auto call = ChatCall::of("post_ephemeral", user);
        call.message = message;
        calls.push_back(std::move(call));
        if (on_private) on_private(calls.back());
        co_return ChatResult{};
    }
    boost::asio::awaitable<ChatResult> respond(std::string url, ResponseUrlMessage message)
        override {
        auto call = ChatCall::of("respond", url);
        call.response = message;
        calls.push_back(std::move(call));
        if (on_private) on_private(calls.back());
        co_return ChatResult{};
    }
    boost::asio::awaitable<ChatResult> unfurl(Unfurl request) override {
        auto call = ChatCall::of("unfurl", request.channel);
        call.unfurl = std::move(request);
        calls.push_back(std::move(call));
        co_return ChatResult{};
    }
    boost::asio::awaitable<ChatResult> publish_home(std::string user, Blocks view) override {
        auto call = ChatCall::of("publish_home", user);
        call.view = std::move(view);
        calls.push_back(std::move(call));
        co_return ChatResult{};
    }
    boost::asio::awaitable<ChatResult> add_reaction(
        std::string channel, std::string ts, std::string name
    ) override {
        auto call = ChatCall::of("add_reaction", channel);
        call.message.channel = std::move(channel);
        call.message.thread_ts = std::move(ts);
        call.message.text = std::move(name);
        calls.push_back(std::move(call));
        co_return ChatResult{};
    }
    boost::asio::awaitable<ChatResult> upload_file(FileUpload file) override {
        auto call = ChatCall::of("upload_file", file.channel);
        call.file = std::move(file);
        calls.push_back(std::move(call));
        ChatResult r;
        if (upload_error != ChatError::none) {
            r.error = upload_error;
            r.code = "scripted";
            co_return r;
        }
        r.channel = call.target;
        r.ts = "F0000000" + std::to_string(calls.size());
        co_return r;
    }
    ChatError upload_error = ChatError::none;  // upload_file fails with this when set
};

}  // namespace nra::test
