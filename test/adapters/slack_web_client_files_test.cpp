// The Slack Web API adapter's file upload v2, chat.unfurl and views.publish against the fake
// Slack: request shapes, each upload step failing, foreign upload hosts and oversized files
// refused without sending, error mapping, and neither the token nor the content in the logs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "slack_web_client_harness.hpp"
#include "support/form_encode.hpp"

namespace slack_web_client_files_test {

using namespace nra;
using namespace nra::test;
using namespace nra::test::web_client;
using nlohmann::json;

namespace {

constexpr const char* kUnfurls =
    R"({"https://one.newrelic.com/distributed-tracing?id=4bf92f35":)"
    R"({"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*1.2 s*, 42 spans"}}]}})";
constexpr const char* kHomeView =
    R"({"type":"home","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"hi"}}]})";

// Bytes a text-mode or truncating upload would damage: a PNG signature, NUL, CR LF, high bytes.
std::string binary_bytes(std::size_t n) {
    std::string bytes = "\x89PNG\r\n\x1a\n";
    bytes.push_back('\0');
    for (std::size_t i = 0; bytes.size() < n; ++i) {
        bytes.push_back(static_cast<char>((i * 37) % 256));
    }
    bytes.resize(n);
    return bytes;
}

FileUpload waterfall(std::string bytes) {
    FileUpload f;
    f.channel = "C1";
    f.thread_ts = "1700000000.000100";
    f.filename = "waterfall-4bf92f35.png";
    f.title = "Waterfall 4bf92f35";
    f.initial_comment = "The critical path";
    f.bytes = std::move(bytes);
    return f;
}

std::size_t count_of(const std::vector<SlackCall>& calls, const std::string& method) {
    return static_cast<std::size_t>(std::count_if(calls.begin(), calls.end(), [&](const auto& c) {
        return c.method == method;
    }));
}

Unfurl unfurl_in(std::string channel, std::string ts) {
    Unfurl u;
    u.channel = std::move(channel);
    u.ts = std::move(ts);
    u.unfurls = Blocks::parse(kUnfurls);
    return u;
}

}  // namespace

TEST_CASE("an upload takes three steps and shares the intact bytes in the thread") {
    Harness h(FakeServerOptions{true});
    const auto bytes = binary_bytes(70'000);
    const auto r = h.run(h.client().upload_file(waterfall(bytes)));
    REQUIRE(r.ok());
    CHECK(r.channel == "C1");
    CHECK(r.ts.rfind('F', 0) == 0);
    CHECK(h.fake.uploaded(r.ts) == bytes);
    CHECK(h.fake.shared(r.ts));

    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 3);
    const auto bearer = std::string("Bearer ") + FakeSlack::kBotToken;
    CHECK(calls[0].method == "files.getUploadURLExternal");
    CHECK(calls[0].authorization == bearer);
    CHECK(calls[0].content_type == "application/x-www-form-urlencoded");
    // No alt_txt: with it Slack answers ok:true and never shares the file.
    CHECK(calls[0].body == json{{"filename", "waterfall-4bf92f35.png"}, {"length", "70000"}});
    CHECK(calls[1].method == "upload");
    CHECK(calls[1].authorization.empty());  // the upload_url is the credential
    CHECK(calls[1].content_type == "application/octet-stream");
    CHECK(calls[1].bytes == bytes.size());
    CHECK(calls[1].body["file_id"] == r.ts);
    CHECK(calls[2].method == "files.completeUploadExternal");
    CHECK(calls[2].authorization == bearer);
    CHECK(calls[2].body["channel_id"] == "C1");
    CHECK(calls[2].body["thread_ts"] == "1700000000.000100");
    CHECK(calls[2].body["initial_comment"] == "The critical path");
    const std::string files = calls[2].body["files"];
    CHECK(json::parse(files) == json::array({{{"id", r.ts}, {"title", "Waterfall 4bf92f35"}}}));
    CHECK(std::all_of(calls.begin(), calls.end(), [](const auto& c) { return c.ok; }));
}

TEST_CASE("an upload without title or thread sends neither") {
    Harness h;
    auto file = waterfall(binary_bytes(10));
    file.title.clear();
    file.thread_ts.clear();
    file.initial_comment.clear();
    const auto r = h.run(h.client().upload_file(file));
    REQUIRE(r.ok());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 3);
    CHECK_FALSE(calls[0].body.contains("alt_txt"));
    CHECK(calls[2].body == json{{"files", calls[2].body["files"]}, {"channel_id", "C1"}});
    const std::string files = calls[2].body["files"];
    CHECK(json::parse(files)[0]["title"] == "waterfall-4bf92f35.png");
}

TEST_CASE("a completion that answers ok:true without sharing the file is a failure") {
    Harness h;
    h.fake.complete_without_sharing();
    const auto r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
    CHECK_FALSE(r.ok());
    CHECK(r.code == "file_not_shared");
    CHECK(h.fake.calls().size() == 3);
}

TEST_CASE("a completion whose answer was lost is not sent again (the file would be shared twice)") {
    Harness h;
    h.fake.lose_answer_next("files.completeUploadExternal");
    const auto r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
    CHECK_FALSE(r.ok());
    CHECK(count_of(h.fake.calls(), "files.completeUploadExternal") == 1);
}

TEST_CASE("a failing upload step is answered as a value and stops the upload") {
    Harness h;
    ChatResult r;
    SECTION("getUploadURLExternal ok:false") {
        h.fake.fail_next("files.getUploadURLExternal", "missing_scope");
        r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == "missing_scope");
        CHECK(h.fake.calls().size() == 1);
    }
    SECTION("completeUploadExternal ok:false") {
        h.fake.set_member_channels({"C9"});
        r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
        CHECK(r.error == ChatError::not_in_channel);
        const auto calls = h.fake.calls();
        REQUIRE(calls.size() == 3);
        CHECK(h.fake.uploaded(calls[1].body["file_id"]).has_value());
    }
    SECTION("the upload answers HTTP 500 on every attempt") {
        h.fake.fail_uploads(500, 100);
        r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
        CHECK(r.error == ChatError::unavailable);
        const auto calls = h.fake.calls();
        CHECK(count_of(calls, "upload") > 1);  // retried, like any 5xx
        CHECK(count_of(calls, "files.completeUploadExternal") == 0);
    }
    SECTION("the upload answers HTTP 400") {
        h.fake.fail_next("upload", "bad_request");
        r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == "upload_http_400");
        CHECK(h.fake.calls().size() == 2);
    }
    CHECK_FALSE(r.ok());
}

TEST_CASE("a 429 or a single HTTP 500 on any upload step is retried") {
    Harness h;
    std::string method;
    SECTION("getUploadURLExternal") {
        method = "files.getUploadURLExternal";
        h.fake.rate_limit_next(method, 0);
    }
    SECTION("the upload, 429") {
        method = "upload";
        h.fake.rate_limit_next(method, 0);
    }
    SECTION("the upload, 500") {
        method = "upload";
        h.fake.fail_uploads(500, 1);
    }
    SECTION("completeUploadExternal") {
        method = "files.completeUploadExternal";
        h.fake.rate_limit_next(method, 0);
    }
    const auto bytes = binary_bytes(5000);
    const auto r = h.run(h.client().upload_file(waterfall(bytes)));
    REQUIRE(r.ok());
    CHECK(h.fake.uploaded(r.ts) == bytes);
    const auto calls = h.fake.calls();
    CHECK(calls.size() == 4);
    CHECK(count_of(calls, method) == 2);
}

TEST_CASE("an upload_url on another host is refused without sending the bytes") {
    Harness h;
    std::string origin;
    SECTION("a foreign host") {
        origin = "https://files.example.com";
    }
    SECTION("a look-alike of files.slack.com") {
        origin = "https://files.slack.com.example.com";
    }
    SECTION("the API's host on another port") {
        origin = "http://127.0.0.1:1";
    }
    h.fake.set_upload_origin(origin);
    const auto r = h.run(h.client().upload_file(waterfall(binary_bytes(100))));
    CHECK(r.error == ChatError::other);
    CHECK(r.code == "bad_upload_url");
    CHECK(h.fake.calls().size() == 1);
    CHECK(h.fake.server().requests().size() == 1);
    CHECK(h.logs().find("upload refused") != std::string::npos);
    CHECK(h.logs().find("/upload/v1/") == std::string::npos);  // the URL is a credential
}

TEST_CASE("upload URLs are allowed on files.slack.com over HTTPS and the API's own origin") {
    const std::string api = "http://127.0.0.1:5000/api";
    CHECK(slack::is_allowed_upload_url("https://files.slack.com/upload/v1/ABC", api));
    CHECK(slack::is_allowed_upload_url("https://FILES.slack.com:443/upload/v1/ABC", api));
    CHECK(slack::is_allowed_upload_url("http://127.0.0.1:5000/upload/v1/F1", api));
    CHECK_FALSE(slack::is_allowed_upload_url("http://files.slack.com/upload/v1/ABC", api));
    CHECK_FALSE(slack::is_allowed_upload_url("https://files.slack.com:8443/upload", api));
    CHECK_FALSE(slack::is_allowed_upload_url("https://x@files.slack.com/upload", api));
    CHECK_FALSE(slack::is_allowed_upload_url("https://files.slack.com.evil.test/u", api));
    CHECK_FALSE(slack::is_allowed_upload_url("http://127.0.0.1:5001/upload/v1/F1", api));
    CHECK_FALSE(slack::is_allowed_upload_url("files.slack.com/upload", api));
}

TEST_CASE("an oversized or empty file is refused without a call") {
    Harness h;
    ChatResult r;
    SECTION("over the limit") {
        r = h.run(h.client().upload_file(waterfall(std::string(slack::kMaxUploadBytes + 1, 'x'))));
        CHECK(r.error == ChatError::too_long);
        CHECK(r.code == "file_too_large");
    }
    SECTION("empty") {
        r = h.run(h.client().upload_file(waterfall({})));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == "empty_file");
    }
    CHECK(h.fake.server().requests().empty());
}

TEST_CASE("chat.unfurl sends the unfurls object for channel and ts or unfurl_id and source") {
    Harness h;
    auto request = unfurl_in("C1", "1700000000.000100");
    json expected{{"channel", "C1"}, {"ts", "1700000000.000100"}};
    SECTION("channel and ts") {}
    SECTION("unfurl_id and source, preferred when both are known") {
        request.unfurl_id = "Uxxxxxxx-909b5454-75f8-4ac4-b325-1b40e230bbd8";
        request.source = "conversations_history";
        expected = {{"unfurl_id", request.unfurl_id}, {"source", "conversations_history"}};
    }
    SECTION("unfurl_id and source from the composer") {
        request = unfurl_in("", "");
        request.unfurl_id = "Uxxxxxxx-1";
        request.source = "composer";
        expected = {{"unfurl_id", "Uxxxxxxx-1"}, {"source", "composer"}};
    }
    const auto r = h.run(h.client().unfurl(request));
    CHECK(r.ok());
    const auto calls = h.fake.calls();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].method == "chat.unfurl");
    CHECK(calls[0].authorization == std::string("Bearer ") + FakeSlack::kBotToken);
    CHECK(calls[0].content_type == "application/json; charset=utf-8");
    expected["unfurls"] = json::parse(kUnfurls);
    CHECK(calls[0].body == expected);
}

TEST_CASE("chat.unfurl errors are mapped, and malformed requests are not sent") {
    Harness h;
    SECTION("Slack's unfurl codes are kept") {
        const auto code = GENERATE(
            std::string("cannot_unfurl_url"),
            std::string("cannot_find_message"),
            std::string("cannot_unfurl_message")
        );
        h.fake.fail_next("chat.unfurl", code);
        const auto r = h.run(h.client().unfurl(unfurl_in("C1", "1.2")));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == code);
        CHECK(h.fake.calls().size() == 1);
    }
    SECTION("invalid_auth") {
        h.fake.fail_next("chat.unfurl", "token_revoked");
        CHECK(h.run(h.client().unfurl(unfurl_in("C1", "1.2"))).error == ChatError::invalid_auth);
    }
    SECTION("a 429 is retried") {
        h.fake.rate_limit_next("chat.unfurl", 0);
        CHECK(h.run(h.client().unfurl(unfurl_in("C1", "1.2"))).ok());
        CHECK(h.fake.calls().size() == 2);
    }
    SECTION("unfurls that are not a JSON object") {
        auto request = unfurl_in("C1", "1.2");
        request.unfurls = Blocks::parse(R"([{"blocks":[]}])");
        const auto r = h.run(h.client().unfurl(request));
        CHECK(r.code == "invalid_unfurls");
        CHECK(h.fake.server().requests().empty());
    }
    SECTION("neither channel and ts nor unfurl_id and source") {
        auto request = unfurl_in("C1", "");
        request.unfurl_id = "U-1";
        const auto r = h.run(h.client().unfurl(request));
        CHECK(r.code == "invalid_arguments");
        CHECK(h.fake.server().requests().empty());
    }
}

TEST_CASE("views.publish sends user_id and the view object, and maps errors") {
    Harness h;
    SECTION("success") {
        REQUIRE(h.run(h.client().publish_home("U7", Blocks::parse(kHomeView))).ok());
        const auto calls = h.fake.calls();
        REQUIRE(calls.size() == 1);
        CHECK(calls[0].method == "views.publish");
        CHECK(calls[0].authorization == std::string("Bearer ") + FakeSlack::kBotToken);
        CHECK(calls[0].body == json{{"user_id", "U7"}, {"view", json::parse(kHomeView)}});
        CHECK(calls[0].ok);
    }
    SECTION("Slack refuses") {
        h.fake.fail_next("views.publish", "not_enabled");
        const auto r = h.run(h.client().publish_home("U7", Blocks::parse(kHomeView)));
        CHECK(r.error == ChatError::other);
        CHECK(r.code == "not_enabled");
    }
    SECTION("a view that is not a JSON object is not sent") {
        const auto r = h.run(h.client().publish_home("U7", Blocks::parse("[1,2]")));
        CHECK(r.code == "invalid_view");
        CHECK(h.fake.server().requests().empty());
    }
}

TEST_CASE("logs name the methods, never the token, the upload_url or the content") {
    Harness h;
    REQUIRE(h.run(h.client().upload_file(waterfall("secret bytes"))).ok());
    REQUIRE(h.run(h.client().unfurl(unfurl_in("C1", "1.2"))).ok());
    REQUIRE(h.run(h.client().publish_home("U7", Blocks::parse(kHomeView))).ok());
    h.fake.fail_next("files.completeUploadExternal", "invalid_auth");
    REQUIRE_FALSE(h.run(h.client().upload_file(waterfall("secret bytes"))).ok());

    const auto logs = h.logs();
    CHECK(logs.find("files.getUploadURLExternal") != std::string::npos);
    CHECK(
        logs.find("files.completeUploadExternal to C1 failed: invalid_auth") != std::string::npos
    );
    CHECK(logs.find("chat.unfurl") != std::string::npos);
    CHECK(logs.find("views.publish") != std::string::npos);
    CHECK(logs.find(FakeSlack::kBotToken) == std::string::npos);
    CHECK(logs.find("xoxb-") == std::string::npos);
    CHECK(logs.find("/upload/v1/") == std::string::npos);
    CHECK(logs.find("secret bytes") == std::string::npos);
    CHECK(logs.find("The critical path") == std::string::npos);
    CHECK(logs.find("42 spans") == std::string::npos);
}

TEST_CASE("the fake's apps.connections.open takes the app token and hands out fresh URLs") {
    Harness h;
    const auto open = h.fake.api_url() + "/apps.connections.open";
    CHECK(post_raw(h, open, FakeSlack::kAppToken, "")["error"] == "not_configured");
    int issued = 0;
    h.fake.set_socket_url([&issued] {
        return "ws://127.0.0.1:1/link/?ticket=" + std::to_string(++issued);
    });
    CHECK(
        post_raw(h, open, FakeSlack::kAppToken, "") ==
        json{{"ok", true}, {"url", "ws://127.0.0.1:1/link/?ticket=1"}}
    );
    CHECK(post_raw(h, open, FakeSlack::kAppToken, "")["url"] == "ws://127.0.0.1:1/link/?ticket=2");
    CHECK(post_raw(h, open, FakeSlack::kBotToken, "")["error"] == "not_allowed_token_type");
    CHECK(post_raw(h, open, "", "")["error"] == "invalid_auth");
    CHECK(post_raw(h, open, "xapp-1-wrong", "")["error"] == "invalid_auth");
    h.fake.rate_limit_next("apps.connections.open", 0);
    CHECK(post_raw(h, open, FakeSlack::kAppToken, "")["status"] == 429);
    CHECK(issued == 2);
    CHECK(h.fake.calls().size() == 7);
}

TEST_CASE("the fake completes only uploads whose bytes arrived with the announced length") {
    Harness h;
    const auto api = h.fake.api_url();
    const auto complete = [&](const std::string& id) {
        return post_raw(
            h,
            api + "/files.completeUploadExternal",
            FakeSlack::kBotToken,
            "files=" + test::form_encode(json::array({{{"id", id}}}).dump())
        );
    };
    const auto target = post_raw(
        h, api + "/files.getUploadURLExternal", FakeSlack::kBotToken, "filename=a.png&length=10"
    );
    REQUIRE(target["ok"] == true);
    const auto id = target["file_id"].get<std::string>();
    CHECK(complete("F404")["error"] == "file_not_found");
    CHECK(complete(id)["error"] == "file_not_uploaded");
    CHECK(post_raw(h, target["upload_url"].get<std::string>(), "", "12345") == "OK - 5");
    CHECK(complete(id)["error"] == "file_size_mismatch");
    CHECK(h.fake.uploaded(id) == std::string("12345"));
    CHECK(
        post_raw(
            h, api + "/files.getUploadURLExternal", FakeSlack::kBotToken, "filename=a.png"
        )["error"] == "invalid_arguments"
    );
}

}  // namespace slack_web_client_files_test
