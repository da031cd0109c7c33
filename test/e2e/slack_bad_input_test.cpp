// Every bad request the issue lists, through the real server: the documented answer, and no post.
#include <catch2/catch.hpp>

#include "slack_e2e.hpp"

namespace slack_bad_input_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const char* const kForm = "application/x-www-form-urlencoded";
const std::string kCommand =
    "team_id=T1&channel_id=C1&user_id=U1&command=%2Ftrace&text=4bf92f3577b34da6a3ce929d0e0e4736"
    "&api_app_id=A1&response_url=x";

}  // namespace

TEST_CASE("signatures: forged, stale, future, over another body, missing → 401, nothing posted") {
    SlackE2E e2e;
    CHECK(e2e.post(kForm, kCommand, {}, 0, "not-the-secret").status == 401);
    CHECK(e2e.post(kForm, kCommand, {}, epoch_s() - 330).status == 401);
    CHECK(e2e.post(kForm, kCommand, {}, epoch_s() + 330).status == 401);
    CHECK(
        e2e.post(kForm, kCommand, {{"X-Slack-Signature", "v0=" + std::string(64, 'a')}}).status ==
        401
    );
    CHECK(e2e.post(kForm, kCommand, {{"X-Slack-Signature", ""}}).status == 401);
    CHECK(e2e.post(kForm, kCommand, {{"X-Slack-Request-Timestamp", "soon"}}).status == 401);
    const auto ts = std::to_string(epoch_s());
    const auto other = nra::slack::sign(kSecret, ts, kCommand + "&text=x");
    CHECK(
        e2e.post(
               kForm, kCommand, {{"X-Slack-Request-Timestamp", ts}, {"X-Slack-Signature", other}}
        ).status == 401
    );
    const auto unsigned_reply = e2e.post(kForm, "", {}, 0, "wrong");
    CHECK(unsigned_reply.status == 401);
    CHECK(unsigned_reply.body.empty());  // no detail for the caller
    // Nothing was queued: a valid request afterwards is the first post.
    CHECK(e2e.command("4bf92f3577b34da6a3ce929d0e0e4736").status == 200);
    // The valid command's whole answer: summary, detail, then the waterfall's upload, last.
    REQUIRE(e2e.slack.wait_for_method("files.completeUploadExternal", 1, 30s) >= 1);
    std::size_t posts = 0;
    for (const auto& call : e2e.slack.calls()) posts += call.method == "chat.postMessage" ? 1 : 0;
    CHECK(posts == 2);
}

TEST_CASE("bodies of 0 bytes, 1 MB and 10 MB, malformed forms and JSON") {
    SlackE2E e2e;
    CHECK(e2e.post(kForm, "").status == 400);
    const auto big = e2e.post(kForm, "command=%2Ftrace&text=" + std::string(1'000'000, 'a'));
    CHECK(big.status == 200);  // within the 1 MiB limit: read, and refused as not a trace id
    CHECK(big.body.find("not a trace id") != std::string::npos);
    CHECK(e2e.post(kForm, std::string(10'000'000, 'a')).status == 413);
    CHECK(e2e.post(kForm, "command=%2Ftrace&text=%G1").status == 400);
    CHECK(e2e.post("application/json", "{\"type\": ").status == 400);
    CHECK(e2e.post("application/json", "[1,2,3]").status == 400);
    CHECK(e2e.post("text/plain", "hello").status == 400);
    CHECK(e2e.slack.calls().empty());
}

TEST_CASE("protocol requests, unknown commands and events") {
    SlackE2E e2e;
    const auto challenge = e2e.post(
        "application/json", R"({"token":"x","challenge":"3eZbrw1aBm2","type":"url_verification"})"
    );
    CHECK(challenge.status == 200);
    CHECK(nlohmann::json::parse(challenge.body)["challenge"] == "3eZbrw1aBm2");
    CHECK(e2e.post(kForm, "ssl_check=1&token=x").status == 200);
    const auto unknown = e2e.post(kForm, "command=%2Fweather&text=94070&channel_id=C1");
    CHECK(unknown.status == 200);
    CHECK(unknown.body.find("/weather") != std::string::npos);
    CHECK(
        e2e.post(
               "application/json",
               R"({"type":"event_callback","event_id":"Ev9","event":{"type":"reaction_added"}})"
        )
            .status == 200
    );
    const auto empty = e2e.command("");
    CHECK(empty.body.find("Usage") != std::string::npos);
    CHECK(e2e.command("'; DROP").body.find("not a trace id") != std::string::npos);
    CHECK(e2e.slack.calls().empty());
}

TEST_CASE("health check and unknown paths") {
    SlackE2E e2e;
    nra::http::Request get;
    get.method = "GET";
    get.url = e2e.server->url("/healthz");
    nra::http::Client client(e2e.ioc.get_executor(), {});
    auto out = run_blocking(e2e.ioc, client.send(get));
    CHECK(out.response.status == 200);
    get.url = e2e.server->url("/nope");
    out = run_blocking(e2e.ioc, client.send(get));
    CHECK(out.response.status == 404);
}

}  // namespace slack_bad_input_test
