// Two `serve` replicas sharing a real Redis (REDIS_URL): Slack redelivering an event to the other
// replica gets one answer, and Redis going down does not stop answers.
#include <catch2/catch.hpp>
#include <string>

#include "slack_e2e.hpp"
#include "support/redis_server.hpp"

namespace slack_replicas_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const std::string kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

// Every documented series is on /metrics from the start (0): look for the value.
bool has_sample(const std::string& text, const std::string& series, int value) {
    return text.find("\n" + series + " " + std::to_string(value) + "\n") != std::string::npos;
}

std::size_t posts(const FakeSlack& slack) {
    std::size_t n = 0;
    for (const auto& c : slack.calls()) n += c.method == "chat.postMessage" ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("two replicas on one Redis answer an event once, and keep answering without Redis") {
    RedisServer redis;
    const std::map<std::string, std::string> shared{{"REDIS_URL", redis.url()}};
    SlackE2E e2e(shared);
    // The second replica: same secrets, same Slack, same Redis.
    std::unique_ptr<ServerProcess> other =
        std::make_unique<ServerProcess>(std::map<std::string, std::string>{
            {"PORT", "0"},
            {"SLACK_SIGNING_SECRET", kSecret},
            {"SLACK_BOT_TOKEN", FakeSlack::kBotToken},
            {"SLACK_API_URL", e2e.slack.api_url()},
            {"NR_ANALYZER_JOBS", "1"},
            {"REDIS_URL", redis.url()}});

    const auto event = SlackE2E::mention("EvShared1", "<@U0BOT> " + kTrace, "");
    CHECK(e2e.post("application/json", event).status == 200);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 1, 30s) >= 1);
    std::swap(e2e.server, other);  // Slack's retry lands on the other replica
    CHECK(e2e.post("application/json", event, {{"X-Slack-Retry-Num", "1"}}).status == 200);
    // The other replica saw the claim and did no work: wait for its metric, not for time.
    std::string seen;
    for (int i = 0; i < 200 && !has_sample(seen, "nra_shared_dedup_hits_total", 1); ++i) {
        seen = e2e.metrics();
    }
    CHECK(has_sample(seen, "nra_shared_dedup_hits_total", 1));
    CHECK(has_sample(seen, "nra_spans_analysed_total", 0));
    std::swap(e2e.server, other);
    const auto first = e2e.metrics();
    CHECK(has_sample(first, "nra_shared_dedup_hits_total", 0));

    // Redis gone: the next event is still answered, from local state.
    redis.kill();
    const auto before = posts(e2e.slack);
    const auto later = SlackE2E::mention("EvShared2", "<@U0BOT> " + kTrace, "");
    CHECK(e2e.post("application/json", later).status == 200);
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", before + 1, 30s) >= before + 1);
    CHECK(e2e.server->terminate() == 0);
    INFO(e2e.server->output());
    CHECK(e2e.server->output().find("state in Redis at redis://127.0.0.1:") != std::string::npos);
    CHECK(e2e.server->output().find("is unreachable") != std::string::npos);  // said, once
    CHECK(
        e2e.server->output().find("using local state") ==
        e2e.server->output().rfind("using local state")
    );
}

}  // namespace slack_replicas_test
