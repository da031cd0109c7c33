#include "support/fake_slack.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace nra::test {

struct FakeSlack::State {
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::vector<SlackCall> calls;
    std::set<std::string> members;
    std::map<std::string, std::string> fail_next;  // method → ok:false code
    std::map<std::string, int> rate_limit_next;    // method → Retry-After seconds
    std::size_t blocks_limit = 0;
    std::uint64_t next_ts = 100;  // microsecond part of the next ts
};

namespace {

FakeReply json_reply(const nlohmann::json& body) {
    FakeReply r;
    r.body = body.dump();
    return r;
}

FakeReply slack_error(const std::string& code) {
    return json_reply({{"ok", false}, {"error", code}});
}

bool posts_into_channel(const std::string& method) {
    return method == "chat.postMessage" || method == "chat.update" ||
           method == "chat.postEphemeral";
}

// The blocks of a call as Slack counts them (a JSON array, or a string holding one).
std::size_t blocks_size(const nlohmann::json& body) {
    if (!body.is_object() || !body.contains("blocks")) return 0;
    const auto& blocks = body["blocks"];
    return blocks.is_string() ? blocks.get<std::string>().size() : blocks.dump().size();
}

std::string string_field(const nlohmann::json& body, const char* key) {
    if (!body.is_object() || !body.contains(key) || !body[key].is_string()) return {};
    return body[key].get<std::string>();
}

std::string method_of(const std::string& target) {
    const auto path = target.substr(0, target.find('?'));
    if (path.rfind("/api/", 0) == 0) return path.substr(5);
    if (path.rfind("/response/", 0) == 0) return "response_url";
    return {};
}

SlackCall parse_call(const FakeRequest& request) {
    SlackCall call;
    call.method = method_of(request.target);
    call.body = nlohmann::json::parse(request.body, nullptr, false);
    if (call.body.is_discarded()) call.body = nullptr;
    call.authorization = request.header("Authorization");
    return call;
}

FakeReply rate_limited(int retry_after_s) {
    FakeReply r = slack_error("ratelimited");
    r.status = 429;
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
}

// response_url errors are a plain-text code with a 4xx status, not JSON.
FakeReply hook_error(const std::string& code) {
    FakeReply r;
    r.status = 404;
    r.headers.emplace_back("Content-Type", "text/plain");
    r.body = code;
    return r;
}

// What Slack would refuse in a well-authenticated call; nullopt when it is fine.
std::optional<std::string> refusal(
    const SlackCall& call, const std::set<std::string>& members, std::size_t blocks_limit
) {
    if (!call.body.is_object()) return "invalid_json";
    if (string_field(call.body, "text").empty() && !call.body.contains("blocks")) {
        return "no_text";
    }
    if (blocks_limit != 0 && blocks_size(call.body) > blocks_limit) return "msg_blocks_too_long";
    if (!posts_into_channel(call.method)) return std::nullopt;
    const auto channel = string_field(call.body, "channel");
    if (channel.empty()) return "channel_not_found";
    if (!members.empty() && !members.contains(channel)) return "not_in_channel";
    if (call.method == "chat.update" && string_field(call.body, "ts").empty()) {
        return "message_not_found";
    }
    if (call.method == "chat.postEphemeral" && string_field(call.body, "user").empty()) {
        return "user_not_in_channel";
    }
    return std::nullopt;
}

FakeReply success(const SlackCall& call) {
    if (call.method == "response_url") {
        FakeReply r;
        r.headers.emplace_back("Content-Type", "text/plain");
        r.body = "ok";
        return r;
    }
    nlohmann::json body{{"ok", true}};
    const auto channel = string_field(call.body, "channel");
    if (call.method == "chat.postEphemeral") {
        body["message_ts"] = call.ts;
        return json_reply(body);
    }
    body["channel"] = channel;
    body["ts"] = call.ts;
    body["message"] = {{"text", string_field(call.body, "text")}, {"ts", call.ts}};
    if (call.method == "chat.update") body["text"] = string_field(call.body, "text");
    return json_reply(body);
}

}  // namespace

FakeSlack::FakeSlack(FakeServerOptions options) : state_(std::make_unique<State>()) {
    server_ = std::make_unique<FakeHttpServer>(
        [this](const FakeRequest& r) { return handle(r); }, std::move(options)
    );
}

FakeSlack::~FakeSlack() {
    server_.reset();  // joins the server thread before the state goes
}

std::string FakeSlack::api_url() const {
    return server_->url("/api");
}

std::string FakeSlack::response_url(const std::string& id) const {
    return server_->url("/response/" + id);
}

void FakeSlack::set_member_channels(std::set<std::string> channels) {
    const std::lock_guard lock(state_->mutex);
    state_->members = std::move(channels);
}

void FakeSlack::fail_next(const std::string& method, const std::string& code) {
    const std::lock_guard lock(state_->mutex);
    state_->fail_next[method] = code;
}

void FakeSlack::rate_limit_next(const std::string& method, int retry_after_s) {
    const std::lock_guard lock(state_->mutex);
    state_->rate_limit_next[method] = retry_after_s;
}

void FakeSlack::set_blocks_limit(std::size_t characters) {
    const std::lock_guard lock(state_->mutex);
    state_->blocks_limit = characters;
}

std::vector<SlackCall> FakeSlack::calls() const {
    const std::lock_guard lock(state_->mutex);
    return state_->calls;
}

std::size_t FakeSlack::wait_for_calls(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    state_->changed.wait_for(lock, timeout, [&] { return state_->calls.size() >= n; });
    return state_->calls.size();
}

std::size_t FakeSlack::wait_for_method(
    const std::string& method, std::size_t n, std::chrono::milliseconds timeout
) const {
    const auto count = [&] {
        return static_cast<std::size_t>(std::count_if(
            state_->calls.begin(),
            state_->calls.end(),
            [&](const SlackCall& c) { return c.method == method; }
        ));
    };
    std::unique_lock lock(state_->mutex);
    state_->changed.wait_for(lock, timeout, [&] { return count() >= n; });
    return count();
}

// Decides one call under the lock: an injected fault, an ok:false code, or a fresh ts.
FakeReply FakeSlack::handle(const FakeRequest& request) {
    SlackCall call = parse_call(request);
    const bool hook = call.method == "response_url";
    FakeReply reply;
    std::optional<std::string> code;
    {
        const std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        const auto limited = s.rate_limit_next.find(call.method);
        const auto failing = s.fail_next.find(call.method);
        if (request.method != "POST" || call.method.empty()) {
            code = "unknown_method";
        } else if (!hook && call.authorization != fmt::format("Bearer {}", kBotToken)) {
            code = "invalid_auth";
        } else if (limited != s.rate_limit_next.end()) {
            reply = rate_limited(limited->second);
            s.rate_limit_next.erase(limited);
        } else if (failing != s.fail_next.end()) {
            code = failing->second;
            s.fail_next.erase(failing);
        } else {
            code = refusal(call, s.members, s.blocks_limit);
        }
        if (code) {
            reply = hook ? hook_error(*code) : slack_error(*code);
        } else if (reply.status == 200) {
            call.ts = call.method == "chat.update" ? string_field(call.body, "ts")
                                                   : fmt::format("1700000000.{:06}", s.next_ts);
            if (call.method != "chat.update") s.next_ts += 100;
            reply = success(call);
        }
        s.calls.push_back(std::move(call));
    }
    state_->changed.notify_all();
    return reply;
}

}  // namespace nra::test
