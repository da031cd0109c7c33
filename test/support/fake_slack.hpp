// A fake Slack Web API on FakeHttpServer: chat.postMessage, chat.update, chat.postEphemeral and
// response_url posts (any path under /response/). Checks the bearer token, answers with Slack's
// shapes (`ok`, `channel`, `ts` unique and increasing), records every call, and injects faults:
// HTTP 429 with Retry-After, `ok:false` codes, refusing blocks. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"

namespace nra::test {

struct SlackCall {
    std::string method;  // "chat.postMessage", …, or "response_url" for /response/… posts
    nlohmann::json body;
    std::string authorization;  // the Authorization header as received
    std::string ts;             // ts the fake answered with (empty when it failed the call)
};

class FakeSlack {
public:
    static constexpr const char* kBotToken = "xoxb-fake-test-token-0123456789";

    explicit FakeSlack(FakeServerOptions options = {});
    ~FakeSlack();

    std::string api_url() const;                            // http(s)://127.0.0.1:PORT/api
    std::string response_url(const std::string& id) const;  // …/response/<id>
    FakeHttpServer& server() { return *server_; }

    // Channels the bot is a member of; posting elsewhere answers `not_in_channel`. Empty set
    // (the default) means every channel.
    void set_member_channels(std::set<std::string> channels);
    // The next call to `method` fails: HTTP 429 with this Retry-After, or ok:false with `code`.
    void fail_next(const std::string& method, const std::string& code);
    void rate_limit_next(const std::string& method, int retry_after_s);
    // Calls whose blocks exceed this many characters answer msg_blocks_too_long (0: no limit).
    void set_blocks_limit(std::size_t characters);

    std::vector<SlackCall> calls() const;
    // Blocks until at least `n` calls were recorded or `timeout` passed; returns the count.
    std::size_t wait_for_calls(std::size_t n, std::chrono::milliseconds timeout) const;
    // Waits until `n` calls of `method` arrived (or the timeout); returns how many did.
    std::size_t wait_for_method(
        const std::string& method, std::size_t n, std::chrono::milliseconds timeout
    ) const;

private:
    FakeReply handle(const FakeRequest& request);

    struct State;
    std::unique_ptr<State> state_;
    std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace nra::test
