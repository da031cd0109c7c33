// Private to the fake Slack (fake_slack*.cpp): its state under one mutex, and the answers of
// the file, unfurl, Home and Socket Mode methods (fake_slack_files.cpp).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/fake_http_server.hpp"
#include "support/fake_slack.hpp"

namespace nra::test::detail {

// A file announced by files.getUploadURLExternal.
struct FakeFile {
    std::string filename;
    std::size_t length = 0;  // announced
    std::string alt_txt;
    std::optional<std::string> bytes;  // once uploaded
    std::string title;                 // once completed
    bool shared = false;               // completed and shared into the channel
};

struct FakeSlackState {
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::vector<SlackCall> calls;
    std::set<std::string> members;
    std::set<std::string> reactions;               // channel/ts/name of every reaction added
    std::map<std::string, std::string> fail_next;  // method → ok:false code
    std::map<std::string, int> rate_limit_next;    // method → Retry-After seconds
    std::size_t blocks_limit = 0;
    int unshared_completions = 0;
    std::set<std::string> lose_answer_next;  // methods processed, then closed without an answer  //
                                             // completions answered ok:true that share nothing
    std::uint64_t next_ts = 100;             // microsecond part of the next ts
    std::string origin;                      // the fake's own "http(s)://127.0.0.1:PORT"
    std::string upload_origin;               // answered in upload_url instead of `origin` when set
    std::map<std::string, FakeFile> files;
    std::uint64_t next_id = 1;  // of files and views
    int upload_fail_status = 0;
    int upload_fail_times = 0;
    std::function<std::string()> socket_url;
};

FakeReply json_reply(const nlohmann::json& body);
FakeReply slack_error(const std::string& code);
FakeReply rate_limited(int retry_after_s);
// A plain-text answer (response_url errors, raw uploads).
FakeReply text_reply(int status, const std::string& text);
std::string string_field(const nlohmann::json& body, const char* key);

// Under the lock: the fault injected for this call's method (taken once), or nullopt.
std::optional<FakeReply> injected_fault(FakeSlackState& s, const SlackCall& call);

// Under the lock, after auth and injected faults: the answer to chat.unfurl, views.publish,
// files.getUploadURLExternal or files.completeUploadExternal; nullopt for other methods.
std::optional<FakeReply> answer_extra(FakeSlackState& s, SlackCall& call);
// Under the lock: the raw upload POST to /upload/v1/<file id>.
FakeReply answer_upload(FakeSlackState& s, SlackCall& call, const FakeRequest& request);
// apps.connections.open, recorded here: calls the socket URL callback outside the lock.
FakeReply open_connection(FakeSlackState& s, SlackCall call);

}  // namespace nra::test::detail
