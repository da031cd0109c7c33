// The /improve scheduler: due times in time zones (DST included), a missed run after a restart
// runs once and never twice, and automatic tickets only after a breach persisted.
#include "app/scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "demo/demo_metrics_source.hpp"
#include "demo/demo_trace_source.hpp"
#include "http/client.hpp"
#include "jira/jira_tracker.hpp"
#include "support/fake_jira.hpp"
#include "support/fake_ports.hpp"
#include "support/report_ports.hpp"
#include "support/run_async.hpp"
#include "support/scratch_dir.hpp"

namespace scheduler_test {

using namespace nra;
using namespace nra::test;

namespace {

// 2026-11-23 is a Monday. 09:00 in Berlin (CET, UTC+1) is 08:00 UTC.
constexpr std::int64_t kMonday0800Utc = 1'795'420'800;

Schedule berlin_monday(const std::string& service = "web-gateway") {
    Schedule s;
    s.service = service;
    s.channel = "C0123456789";
    s.cadence = Cadence::weekly;
    s.weekday = 1;
    s.hour = 9;
    s.minute = 0;
    s.time_zone = "Europe/Berlin";
    return s;
}

struct Rig {
    explicit Rig(ImproveConfig c, std::string state)
        : config(std::move(c)), state_path(std::move(state)) {}
    Scheduler make(std::int64_t now) {
        return Scheduler(ioc.get_executor(), ports, state_path, [now] { return now; });
    }
    int run(Scheduler& scheduler, std::int64_t now) {
        return run_blocking(ioc, scheduler.run_due(now));
    }

    ImproveConfig config;
    std::string state_path;
    DemoMetricsSource metrics;
    DemoTraceSource traces;
    FakeChatClient chat;
    Ports ports = report_ports(metrics, traces, chat, config);
    boost::asio::io_context ioc;
};

}  // namespace

TEST_CASE("due times follow the schedule's time zone, across daylight saving time") {
    const auto s = berlin_monday();
    CHECK(last_due(s, kMonday0800Utc) == kMonday0800Utc);
    CHECK(last_due(s, kMonday0800Utc - 1) == kMonday0800Utc - 7 * 86'400);
    CHECK(next_due(s, kMonday0800Utc) == kMonday0800Utc + 7 * 86'400);
    // Summer: 09:00 CEST is 07:00 UTC (2026-06-01 is a Monday).
    const auto june = local_to_utc("Europe/Berlin", 2026, 6, 1, 9, 0);
    REQUIRE(june);
    CHECK(*june % 86'400 == 7 * 3600);
    Schedule daily = s;
    daily.cadence = Cadence::daily;
    daily.time_zone = "UTC";
    daily.hour = 8;
    daily.minute = 30;
    CHECK(next_due(daily, kMonday0800Utc) == kMonday0800Utc + 1800);
    Schedule nowhere = s;
    nowhere.time_zone = "Mars/Olympus";
    CHECK_FALSE(next_due(nowhere, kMonday0800Utc));
}

TEST_CASE("a run missed while the bot was down happens once after a restart, never twice") {
    const std::string state = std::string(NRA_TEST_TMP_DIR) + "/scheduler-state.json";
    std::remove(state.c_str());
    ImproveConfig config;
    config.schedules = {berlin_monday()};
    Rig rig(config, state);
    {
        auto first = rig.make(kMonday0800Utc - 3 * 86'400);       // first start: Friday
        CHECK(rig.run(first, kMonday0800Utc - 3 * 86'400) == 0);  // nothing due yet
    }
    // The bot was down over Monday 09:00 and comes back at 10:30.
    const auto later = kMonday0800Utc + 5400;
    {
        auto restarted = rig.make(later);
        CHECK(rig.run(restarted, later) == 1);
        CHECK(rig.run(restarted, later + 60) == 0);
    }
    {
        auto again = rig.make(later + 120);  // another restart within the hour
        CHECK(rig.run(again, later + 120) == 0);
    }
    std::size_t summaries = 0;
    for (const auto& call : rig.chat.calls) {
        if (call.method == "post_message" && call.message.thread_ts.empty()) ++summaries;
        CHECK(call.message.channel == "C0123456789");
    }
    CHECK(summaries == 1);
}

TEST_CASE("breach streaks are counted per endpoint across scheduled runs") {
    const std::string state = std::string(NRA_TEST_TMP_DIR) + "/scheduler-streaks.json";
    std::remove(state.c_str());
    ImproveConfig config;
    config.schedules = {berlin_monday()};
    Rig rig(config, state);
    auto scheduler = rig.make(kMonday0800Utc - 60);
    CHECK(rig.run(scheduler, kMonday0800Utc) == 1);
    CHECK(rig.run(scheduler, kMonday0800Utc + 7 * 86'400) == 1);
    REQUIRE_FALSE(scheduler.streaks().empty());
    for (const auto& [key, n] : scheduler.streaks()) {
        CHECK(key.rfind("web-gateway#", 0) == 0);
        CHECK(n == 2);
    }
}

TEST_CASE("automatic tickets: none until the breach persisted, then one ticket, then comments") {
    const std::string state = std::string(NRA_TEST_TMP_DIR) + "/scheduler-jira.json";
    std::remove(state.c_str());
    FakeJira jira;
    jira::JiraConfig jc;
    jc.url = jira.base_url();
    jc.email = FakeJira::kEmail;
    jc.api_token = FakeJira::kApiToken;
    jc.project = "OPS";
    jc.retry_base_delay = std::chrono::milliseconds(1);
    jc.confirm_delay = std::chrono::milliseconds(1);
    ImproveConfig config;
    config.schedules = {berlin_monday()};
    config.jira.auto_create = true;
    config.jira.persist_runs = 2;
    config.top_endpoints = 10;
    Rig rig(config, state);
    http::Client client(rig.ioc.get_executor(), {});
    jira::JiraTracker tracker(client, jc);
    const Ports ports = report_ports(rig.metrics, rig.traces, rig.chat, rig.config, &tracker);
    const auto start = kMonday0800Utc - 60;
    Scheduler scheduler(rig.ioc.get_executor(), ports, state, [start] { return start; });
    CHECK(rig.run(scheduler, kMonday0800Utc) == 1);
    CHECK(jira.issues().empty());  // one breaching run is not enough
    CHECK(rig.run(scheduler, kMonday0800Utc + 7 * 86'400) == 1);
    const auto filed = jira.issues().size();
    CHECK(filed >= 1);  // every endpoint that breached twice in a row
    CHECK(jira.comments().empty());
    CHECK(rig.run(scheduler, kMonday0800Utc + 14 * 86'400) == 1);
    CHECK(jira.issues().size() == filed);  // still breaching: comments, no second ticket
    CHECK(jira.comments().size() == filed);
}

TEST_CASE("an slo_review schedule posts the review digest with its buttons, once") {
    const std::string state = std::string(NRA_TEST_TMP_DIR) + "/scheduler-slo.json";
    std::remove(state.c_str());
    ImproveConfig config = demo_improve_config();
    auto review = berlin_monday("all");
    review.report = ScheduleReport::slo_review;
    auto improve = berlin_monday("all");  // same time and channel, the other report
    config.schedules = {review, improve};
    CHECK(schedule_key(review) != schedule_key(improve));
    Rig rig(config, state);
    auto scheduler = rig.make(kMonday0800Utc - 60);
    CHECK(rig.run(scheduler, kMonday0800Utc - 60) == 0);
    CHECK(rig.run(scheduler, kMonday0800Utc) == 2);
    CHECK(rig.run(scheduler, kMonday0800Utc + 60) == 0);
    std::size_t digests = 0;
    for (const auto& call : rig.chat.calls) {
        if (call.method != "post_message" ||
            call.message.text.find("SLO review") == std::string::npos) {
            continue;
        }
        ++digests;
        CHECK(call.message.blocks.dump().find("slo_review_keep") != std::string::npos);
    }
    CHECK(digests == 1);
}

}  // namespace scheduler_test
