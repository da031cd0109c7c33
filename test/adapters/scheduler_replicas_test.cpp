// Several replicas running the same schedules on one Redis: a due report is posted by
// exactly one of them, and breach streaks carry over whichever replica runs next, so automatic
// tickets still open after `persist_runs` runs.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "app/scheduler.hpp"
#include "demo/demo_metrics_source.hpp"
#include "demo/demo_trace_source.hpp"
#include "http/client.hpp"
#include "jira/jira_tracker.hpp"
#include "redis/redis_connection.hpp"
#include "redis/redis_state_store.hpp"
#include "redis/redis_url.hpp"
#include "support/fake_jira.hpp"
#include "support/fake_ports.hpp"
#include "support/redis_server.hpp"
#include "support/report_ports.hpp"
#include "support/run_async.hpp"
#include "support/scratch_dir.hpp"

namespace scheduler_replicas_test {

using namespace nra;
using namespace nra::test;

namespace {

constexpr std::int64_t kMonday0800Utc = 1'795'420'800;  // 09:00 in Berlin
constexpr std::int64_t kWeek = 7 * 86'400;

ImproveConfig weekly_config() {
    Schedule s;
    s.service = "web-gateway";
    s.channel = "C0123456789";
    s.cadence = Cadence::weekly;
    s.weekday = 1;
    s.hour = 9;
    s.time_zone = "Europe/Berlin";
    ImproveConfig config;
    config.schedules = {s};
    config.top_endpoints = 10;
    return config;
}

std::string fresh_state(const std::string& name) {
    auto path = std::string(NRA_TEST_TMP_DIR) + "/" + name;
    std::remove(path.c_str());
    return path;
}

redis::RedisEndpoint endpoint_of(const std::string& url) {
    auto parsed = redis::parse_redis_url(url);
    REQUIRE(parsed.ok());
    return *parsed;
}

std::size_t posts(const FakeChatClient& chat) {
    std::size_t n = 0;
    for (const auto& call : chat.calls) n += call.method == "post_message" ? 1 : 0;
    return n;
}

// One replica: its own chat, state file and Redis connection; the shared Redis.
struct Replica {
    Replica(
        boost::asio::io_context& ioc,
        const std::string& redis_url,
        const ImproveConfig& config,
        const std::string& state_file,
        TicketTracker* tickets = nullptr
    )
        : connection(ioc.get_executor(), endpoint_of(redis_url)),
          store(connection),
          ports(report_ports(metrics, traces, chat, config, tickets, &store)),
          scheduler(ioc.get_executor(), ports, fresh_state(state_file), [] {
              return kMonday0800Utc - 60;
          }) {}

    DemoMetricsSource metrics;
    DemoTraceSource traces;
    FakeChatClient chat;
    redis::RedisConnection connection;
    redis::RedisStateStore store;
    Ports ports;
    Scheduler scheduler;
};

}  // namespace

TEST_CASE("two replicas on one Redis post a due report once") {
    RedisServer redis;
    boost::asio::io_context ioc;
    const auto config = weekly_config();
    Replica a(ioc, redis.url(), config, "replica-a.json");
    Replica b(ioc, redis.url(), config, "replica-b.json");
    CHECK(run_blocking(ioc, a.scheduler.run_due(kMonday0800Utc)) == 1);
    CHECK(run_blocking(ioc, b.scheduler.run_due(kMonday0800Utc)) == 0);
    CHECK(posts(a.chat) >= 1);
    CHECK(posts(b.chat) == 0);
    // The next week's run is a new due time: whoever asks first posts it.
    CHECK(run_blocking(ioc, b.scheduler.run_due(kMonday0800Utc + kWeek)) == 1);
    CHECK(run_blocking(ioc, a.scheduler.run_due(kMonday0800Utc + kWeek)) == 0);
    CHECK(posts(b.chat) >= 1);
}

TEST_CASE("without Redis each replica would post: the lock is what prevents it") {
    // The control for the test above: the same two schedulers with no shared store both post.
    boost::asio::io_context ioc;
    const auto config = weekly_config();
    DemoMetricsSource metrics;
    DemoTraceSource traces;
    FakeChatClient chat_a;
    FakeChatClient chat_b;
    const auto start = [] { return kMonday0800Utc - 60; };
    const Ports ports_a = report_ports(metrics, traces, chat_a, config);
    const Ports ports_b = report_ports(metrics, traces, chat_b, config);
    Scheduler a(ioc.get_executor(), ports_a, fresh_state("alone-a.json"), start);
    Scheduler b(ioc.get_executor(), ports_b, fresh_state("alone-b.json"), start);
    CHECK(run_blocking(ioc, a.run_due(kMonday0800Utc)) == 1);
    CHECK(run_blocking(ioc, b.run_due(kMonday0800Utc)) == 1);
}

TEST_CASE("breach streaks carry over to the replica that runs next, so tickets still open") {
    RedisServer redis;
    boost::asio::io_context ioc;
    FakeJira jira;
    jira::JiraConfig jc;
    jc.url = jira.base_url();
    jc.email = FakeJira::kEmail;
    jc.api_token = FakeJira::kApiToken;
    jc.project = "OPS";
    jc.retry_base_delay = std::chrono::milliseconds(1);
    jc.confirm_delay = std::chrono::milliseconds(1);
    auto config = weekly_config();
    config.jira.auto_create = true;
    config.jira.persist_runs = 2;
    http::Client client(ioc.get_executor(), {});
    jira::JiraTracker tracker_a(client, jc);
    jira::JiraTracker tracker_b(client, jc);
    Replica a(ioc, redis.url(), config, "streak-a.json", &tracker_a);
    Replica b(ioc, redis.url(), config, "streak-b.json", &tracker_b);
    CHECK(run_blocking(ioc, a.scheduler.run_due(kMonday0800Utc)) == 1);
    CHECK(jira.issues().empty());  // one breaching run is not enough
    // Week two runs on the other replica, which has never seen week one itself.
    CHECK(run_blocking(ioc, b.scheduler.run_due(kMonday0800Utc + kWeek)) == 1);
    CHECK_FALSE(jira.issues().empty());
    for (const auto& [key, n] : b.scheduler.streaks()) CHECK(n == 2);
}

}  // namespace scheduler_replicas_test
