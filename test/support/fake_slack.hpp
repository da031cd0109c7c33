// A fake Slack Web API on FakeHttpServer: chat.postMessage, chat.update, chat.postEphemeral,
// response_url posts (any path under /response/), chat.unfurl, views.publish, file upload v2
// (files.getUploadURLExternal, the raw POST to its upload_url under /upload/v1/,
// files.completeUploadExternal) and apps.connections.open for Socket Mode. Checks the bearer
// token, answers with Slack's shapes (`ok`, `channel`, `ts` unique and increasing), records every
// call, and injects faults: HTTP 429 with Retry-After, `ok:false` codes, refusing blocks, failing
// uploads. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"

namespace nra::test {

namespace detail {
struct FakeSlackState;
}

struct SlackCall {
    // "chat.postMessage", …, "response_url" for /response/… posts, "upload" for raw uploads
    std::string method;
    // The JSON body; a form body as an object of strings; {"file_id":…} for an upload.
    nlohmann::json body;
    std::string authorization;  // the Authorization header as received
    std::string content_type;
    // ts the fake answered with (empty when it failed the call); the file id for files.* and
    // uploads; empty for chat.unfurl, views.publish and apps.connections.open.
    std::string ts;
    bool ok = false;        // the fake answered with success
    std::size_t bytes = 0;  // upload: bytes received
};

class FakeSlack {
public:
    static constexpr const char* kBotToken = "xoxb-fake-test-token-0123456789";
    // App-level token (Socket Mode): the only token apps.connections.open accepts.
    static constexpr const char* kAppToken = "xapp-1-fake-test-token-0123456789";

    explicit FakeSlack(FakeServerOptions options = {});
    ~FakeSlack();

    std::string api_url() const;                            // http(s)://127.0.0.1:PORT/api
    std::string response_url(const std::string& id) const;  // …/response/<id>
    FakeHttpServer& server() { return *server_; }

    // Channels the bot is a member of; posting elsewhere answers `not_in_channel`. Empty set
    // (the default) means every channel.
    void set_member_channels(std::set<std::string> channels);
    // The next call to `method` fails: HTTP 429 with this Retry-After, or ok:false with `code`
    // (for "upload" and "response_url": HTTP 4xx with `code` as plain text).
    void fail_next(const std::string& method, const std::string& code);
    void rate_limit_next(const std::string& method, int retry_after_s);
    // The next call to `method` is carried out (posted, recorded with its ts), then the
    // connection closes without an answer: what a client sees when Slack's answer is lost.
    void lose_answer_next(const std::string& method);
    // Calls whose blocks exceed this many characters answer msg_blocks_too_long (0: no limit).
    void set_blocks_limit(std::size_t characters);

    // apps.connections.open answers {"ok":true,"url":socket_url()} (called once per request on
    // the server thread, outside the fake's lock); without it, ok:false `not_configured`.
    void set_socket_url(std::function<std::string()> socket_url);
    // The next `times` raw uploads answer HTTP `status` (e.g. 500) and store nothing.
    void fail_uploads(int status, int times = 1);
    // The origin ("https://files.example.com") of the upload_url that getUploadURLExternal
    // answers with; by default the fake's own.
    void set_upload_origin(std::string origin);
    // The bytes uploaded for `file_id`; nullopt when none arrived. completeUploadExternal
    // answers `file_not_found` for an unknown id, `file_not_uploaded` before the upload and
    // `file_size_mismatch` when the bytes differ from the announced length.
    std::optional<std::string> uploaded(const std::string& file_id) const;
    // Whether completeUploadExternal shared the file. A file announced with alt_txt is never
    // shared, though the completion answers ok:true (as reported of Slack).
    bool shared(const std::string& file_id) const;
    // The next `times` completions answer ok:true, list no file and share nothing.
    void complete_without_sharing(int times = 1);

    std::vector<SlackCall> calls() const;
    // Blocks until at least `n` calls were recorded or `timeout` passed; returns the count.
    std::size_t wait_for_calls(std::size_t n, std::chrono::milliseconds timeout) const;
    // Waits until `n` calls of `method` arrived (or the timeout); returns how many did.
    std::size_t wait_for_method(
        const std::string& method, std::size_t n, std::chrono::milliseconds timeout
    ) const;

private:
    FakeReply handle(const FakeRequest& request);

    std::unique_ptr<detail::FakeSlackState> state_;
    std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace nra::test
