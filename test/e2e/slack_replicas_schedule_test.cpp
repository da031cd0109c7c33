// Two `serve` replicas with the same schedules on one Redis: a scheduled report that is
// due is posted by exactly one of them. Each replica's state file says the run was missed (the
// bot was down at the due time), so both find it due the moment they start, with no clock tricks.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <string>

#include "slack_e2e.hpp"
#include "support/redis_server.hpp"
#include "support/scratch_dir.hpp"

namespace slack_replicas_schedule_test {

using namespace nra::test;
using namespace std::chrono_literals;

namespace {

const std::string kChannel = "C0SCHED01";

std::string write_file(const std::string& name, const std::string& text) {
    const auto path = std::string(NRA_TEST_TMP_DIR) + "/" + name;
    std::ofstream(path) << text;
    return path;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

std::size_t posts_into(const FakeSlack& slack, const std::string& channel) {
    std::size_t n = 0;
    for (const auto& c : slack.calls()) {
        n += c.method == "chat.postMessage" && c.body.value("channel", "") == channel ? 1 : 0;
    }
    return n;
}

}  // namespace

TEST_CASE("two replicas on one Redis post a due scheduled report once") {
    // Due ten minutes ago, daily, in UTC; each replica last ran it an hour before that.
    const auto now = std::time(nullptr);
    const std::time_t due = now - 600;
    std::tm utc{};
    gmtime_r(&due, &utc);
    const auto at = fmt::format("{:02}:{:02}", utc.tm_hour, utc.tm_min);
    const auto config = write_file(
        "replicas-schedule.yaml",
        "schedules:\n  - service: web-gateway\n    channel: " + kChannel +
            "\n    every: day\n    at: \"" + at + "\"\n    time_zone: UTC\n"
    );
    const auto key =
        fmt::format("web-gateway|{}|daily|{}:{}|UTC", kChannel, utc.tm_hour, utc.tm_min);
    const auto state = fmt::format(R"({{"last_runs":{{"{}":{}}}}})", key, now - 4200);
    RedisServer redis;
    SlackE2E e2e(std::map<std::string, std::string>{
        {"REDIS_URL", redis.url()},
        {"NR_ANALYZER_CONFIG", config},
        {"NR_ANALYZER_STATE_FILE", write_file("replica-a.state", state)}});
    ServerProcess other(std::map<std::string, std::string>{
        {"PORT", "0"},
        {"SLACK_SIGNING_SECRET", kSecret},
        {"SLACK_BOT_TOKEN", FakeSlack::kBotToken},
        {"SLACK_API_URL", e2e.slack.api_url()},
        {"REDIS_URL", redis.url()},
        {"NR_ANALYZER_CONFIG", config},
        {"NR_ANALYZER_STATE_FILE", write_file("replica-b.state", state)}});

    // Each replica either runs the report or sees that the other one claimed it.
    const std::vector<std::string> decided{
        "scheduled /improve report for web-gateway", "was posted by another replica"};
    REQUIRE(e2e.server->wait_for_output(decided, 60s));
    REQUIRE(other.wait_for_output(decided, 60s));
    REQUIRE(e2e.slack.wait_for_method("chat.postMessage", 1, 60s) >= 1);
    CHECK(e2e.server->terminate() == 0);
    CHECK(other.terminate() == 0);
    const auto all = e2e.server->output() + other.output();
    INFO(all);
    CHECK(occurrences(all, "scheduled /improve report for web-gateway") == 1);
    CHECK(occurrences(all, "was posted by another replica") == 1);
    CHECK(posts_into(e2e.slack, kChannel) >= 1);
}

}  // namespace slack_replicas_schedule_test
