// SLO review end to end: `/improve slo` into the real `serve` (demo metrics and SLOs), the digest
// out to the fake Slack with its buttons, a decision recorded once (in the state file and in the
// digest's thread), and a restarted server that remembers it.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "slack_e2e.hpp"
#include "support/scratch_dir.hpp"

namespace slack_slo_review_test {

using namespace nra::test;
using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

const std::string kForm = "application/x-www-form-urlencoded";

std::string press(
    const std::string& action_id,
    const std::string& slo,
    const std::string& digest_ts,
    const std::string& user,
    const std::string& response_url
) {
    const Json payload{
        {"type", "block_actions"},
        {"api_app_id", "A1"},
        {"team", {{"id", "T1"}}},
        {"user", {{"id", user}}},
        {"channel", {{"id", "C1"}}},
        {"container", {{"type", "message"}, {"message_ts", digest_ts}, {"channel_id", "C1"}}},
        {"response_url", response_url},
        {"actions", {{{"action_id", action_id}, {"value", slo}, {"type", "button"}}}}};
    return "payload=" + form_encode(payload.dump());
}

// The values of the "Reviewed, keep" buttons in a posted digest.
std::vector<std::string> keep_buttons(const SlackCall& call) {
    std::vector<std::string> out;
    const auto blocks = Json::parse(
        call.body["blocks"].is_string() ? call.body["blocks"].get<std::string>()
                                        : call.body["blocks"].dump()
    );
    for (const auto& b : blocks) {
        if (b["type"] != "actions") continue;
        for (const auto& e : b["elements"]) {
            if (e["action_id"] == "slo_review_keep") out.push_back(e["value"]);
        }
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("/improve slo: the digest, a decision recorded once, remembered after a restart") {
    const std::string state = std::string(NRA_TEST_TMP_DIR) + "/e2e-slo-state.json";
    std::remove(state.c_str());
    std::remove((state + ".reviews").c_str());
    std::string digest_ts;
    {
        SlackE2E e2e({{"NR_ANALYZER_STATE_FILE", state}});
        const auto ack = e2e.command_named("/improve", "slo web-gateway");
        CHECK(ack.status == 200);
        CHECK(ack.took < 3000ms);
        CHECK(ack.body.find("Reviewing the SLOs of `web-gateway`") != std::string::npos);
        REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 1, 30s) >= 1);
        const auto digest = e2e.slack.calls().front();
        CHECK(digest.body["channel"] == "C1");
        const auto text = digest.body.dump();
        CHECK(text.find("web-gateway-availability") != std::string::npos);
        CHECK(text.find("Tighten") != std::string::npos);
        CHECK(keep_buttons(digest) == std::vector<std::string>{"web-gateway-latency"});
        digest_ts = digest.ts;

        const auto url = e2e.slack.response_url("act");
        auto first = press("slo_review_keep", "web-gateway-latency", digest_ts, "U07REVIEW", url);
        CHECK(e2e.post(kForm, first).status == 200);
        REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 2, 30s) >= 2);
        // A colleague presses "Propose change" on the same digest: the decision stands.
        auto second = press("slo_review_change", "web-gateway-latency", digest_ts, "U08OTHER", url);
        CHECK(e2e.post(kForm, second).status == 200);
        REQUIRE(e2e.slack.wait_for_method("response_url", 1, 30s) >= 1);
        CHECK(e2e.server->terminate() == 0);

        std::vector<SlackCall> posts;
        for (const auto& c : e2e.slack.calls()) {
            if (c.method == "chat.postMessage") posts.push_back(c);
        }
        REQUIRE(posts.size() == 2);
        CHECK(posts[1].body["thread_ts"] == digest_ts);
        const auto note = posts[1].body["text"].get<std::string>();
        CHECK(note.find("<@U07REVIEW> reviewed *web-gateway-latency*") != std::string::npos);
        for (const auto& c : e2e.slack.calls()) {
            if (c.method != "response_url") continue;
            CHECK(c.body["text"].get<std::string>().find("already records") != std::string::npos);
        }
    }
    const auto saved = Json::parse(read_file(state + ".reviews"));
    REQUIRE(saved["decisions"].size() == 1);
    CHECK(saved["decisions"][0]["user"] == "U07REVIEW");
    CHECK(saved["decisions"][0]["digest"] == "C1:" + digest_ts);

    SlackE2E restarted({{"NR_ANALYZER_STATE_FILE", state}});
    CHECK(restarted.command_named("/improve", "slo web-gateway").status == 200);
    REQUIRE(restarted.slack.wait_for_method("chat.postMessage", 1, 30s) >= 1);
    const auto again = restarted.slack.calls().front();
    CHECK(keep_buttons(again).empty());  // reviewed: nothing is due any more
    CHECK(again.body.dump().find("U07REVIEW") != std::string::npos);
}

}  // namespace slack_slo_review_test
