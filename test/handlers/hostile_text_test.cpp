// Every kind of message the bot posts, fed with a hostile name wherever text from outside reaches
// it (a user's command, New Relic's service, endpoint and span names and error texts, Jira's
// answers, Slack's error codes): nothing of it may mention, link, break a code span, format,
// quote or hide characters (support/inert_mrkdwn.hpp). The unknown-command ack and the rate-limit
// notice, built in the Slack adapter, are walked in test/adapters/events_endpoint_test.cpp.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "demo/demo_metrics_source.hpp"
#include "registry.hpp"
#include "state/file_review_store.hpp"
#include "support/handler_harness.hpp"
#include "support/inert_mrkdwn.hpp"

namespace hostile_text_test {

using namespace nra;
using namespace nra::test;
using nlohmann::json;

namespace {

const std::string kTrace = "1234567890abcdef1234567890abcdef";
const std::string kService = "web-gateway";  // the demo service the hostile one stands for
constexpr std::int64_t kNowS = 1'795'400'000;

json zipkin_span(int id, int parent, std::int64_t start_us, std::int64_t duration_us) {
    const auto hex = [](int n) { return fmt::format("{:016x}", n + 1); };
    json span{
        {"traceId", kTrace},
        {"id", hex(id)},
        {"name", kHostileName},
        {"timestamp", 1'700'000'000'000'000 + start_us},
        {"duration", duration_us},
        {"localEndpoint", {{"serviceName", kHostileName}}}};
    if (parent >= 0) span["parentId"] = hex(parent);
    return span;
}

// A trace whose every name is hostile: a root, an N+1 of 12 queries and a failing call.
std::string hostile_trace() {
    json spans = json::array({zipkin_span(0, -1, 0, 200'000)});
    for (int i = 1; i <= 12; ++i) {
        json query = zipkin_span(i, 0, i * 10'000, 9'000);
        query["kind"] = "CLIENT";
        query["tags"] = {
            {"db.system", "postgresql"},
            {"db.statement", "SELECT \"" + kHostileName + "\" FROM t WHERE id = 1"}};
        spans.push_back(query);
    }
    json failing = zipkin_span(13, 0, 140'000, 50'000);
    failing["kind"] = "CLIENT";
    failing["tags"] = {{"error", kHostileName}, {"http.status_code", "500"}};
    spans.push_back(failing);
    return spans.dump();
}

json parsed_blocks(const Blocks& blocks) {
    return json::parse(blocks.dump());  // as the Slack adapter serialises them
}

// What one call carries, as Slack would read it.
json payload_of(const ChatCall& call) {
    if (call.method == "respond") {
        return {{"text", call.response.text}, {"blocks", parsed_blocks(call.response.blocks)}};
    }
    if (call.method == "unfurl") return {{"unfurls", json(call.unfurl.unfurls)}};
    if (call.method == "publish_home") return {{"view", json(call.view)}};
    if (call.method == "upload_file") {
        return {
            {"title", {{"type", "plain_text"}, {"text", call.file.title}}},
            {"text", call.file.initial_comment}};
    }
    return {{"text", call.message.text}, {"blocks", parsed_blocks(call.message.blocks)}};
}

// Checks every call the fake chat received; returns how many texts were checked.
std::size_t check_calls(const FakeChatClient& chat) {
    std::size_t checked = 0;
    for (const auto& call : chat.calls) {
        INFO(call.method);
        checked += check_inert_payload(payload_of(call));
    }
    return checked;
}

// The demo metrics under hostile names: the service, its endpoints (prefixed), the service list
// and, for an unknown service, the names New Relic suggests.
class HostileMetrics final : public MetricsSource {
public:
    DemoMetricsSource demo{
        [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNowS)); }};

    boost::asio::awaitable<StatsResult> service_stats(StatsQuery q) override {
        if (q.service != kHostileName) {
            StatsResult unknown;
            unknown.status = FetchStatus::not_found;
            unknown.message = "no data for " + kHostileName;
            unknown.did_you_mean = {kHostileName, "x`y *z* <!here>"};
            co_return unknown;
        }
        q.service = kService;
        auto r = co_await demo.service_stats(std::move(q));
        r.stats.service = kHostileName;
        for (auto* list : {&r.stats.endpoints, &r.stats.previous}) {
            for (auto& e : *list) e.name = kHostileName + " " + e.name;
        }
        co_return r;
    }
    boost::asio::awaitable<SloResult> slo_counts(SloSpec s) override {
        s.service = kService;
        return demo.slo_counts(std::move(s));
    }
    boost::asio::awaitable<SloHistoryResult> slo_history(SloSpec s, int windows) override {
        s.service = kService;
        return demo.slo_history(std::move(s), windows);
    }
    boost::asio::awaitable<TraceIdsResult> slowest_traces(std::string, std::string, int, int)
        override {
        TraceIdsResult r;
        r.status = FetchStatus::found;
        r.trace_ids = {kTrace};
        co_return r;
    }
    boost::asio::awaitable<ServiceListResult> services(int) override {
        ServiceListResult r;
        r.status = FetchStatus::found;
        r.services = {kHostileName};
        co_return r;
    }
    boost::asio::awaitable<SampleResult> window_samples(SampleQuery query) override {
        SampleResult r;
        r.status = FetchStatus::found;
        for (const auto& e : query.endpoints) {
            r.samples.push_back(WindowSample{WindowSample::Reason::failed, e.name, kTrace});
        }
        co_return r;
    }
};

// Answers what the test scripts: Jira's key and URL, or a failure sentence.
class ScriptedTracker final : public TicketTracker {
public:
    TicketResult next;
    boost::asio::awaitable<TicketResult> file(TicketDraft) override { co_return next; }
};

// The demo configuration with its SLOs moved onto the hostile service and named after it.
ImproveConfig hostile_config() {
    ImproveConfig config = demo_improve_config();
    for (auto& slo : config.slos) {
        slo.name = kHostileName + " " + slo.name;
        slo.service = kHostileName;
    }
    return config;
}

struct Harness : HandlerHarness {
    Harness() : config(hostile_config()) { traces.add(kTrace, hostile_trace()); }
    Ports wired() {
        Ports s = ports();
        s.metrics = &metrics;
        s.tickets = &tickets;
        s.improve = &config;
        s.reviews = &reviews;
        s.epoch_seconds = [] { return kNowS; };
        return s;
    }
    void run_wired(const Handled& handled) {
        REQUIRE(handled.job);
        run_with(*handled.job, wired());
    }
    HostileMetrics metrics;
    ScriptedTracker tickets;
    ImproveConfig config;
    FileReviewStore reviews;
};

SlashCommand command(std::string name, std::string text) {
    auto c = slash_command(std::move(name), std::move(text));
    c.team_id = "T1";
    return c;
}

SlackEvent event(std::string type) {
    SlackEvent e;
    e.event_id = "Ev-" + type;
    e.team_id = "T1";
    e.type = std::move(type);
    e.channel = "C1";
    e.user = "U1";
    e.ts = "1700001000.000100";
    return e;
}

void check_ack(const Handled& handled) {
    if (!handled.ack.body.empty()) check_inert_payload(json::parse(handled.ack.body));
    check_inert_mrkdwn(handled.busy_text);
}

}  // namespace

TEST_CASE("a trace's summary, detail, picture, full waterfall and App Home keep names inert") {
    Harness h;
    const auto trace = handle_trace_command(command("/trace", kTrace));
    check_ack(trace);
    h.run_wired(trace);
    h.run_wired(handle_trace_waterfall(block_action(kTraceWaterfallAction, kTrace)));
    auto home = event("app_home_opened");
    home.tab = "home";
    h.run_wired(handle_app_home_opened(home));
    REQUIRE(h.calls("publish_home").size() == 1);
    REQUIRE(h.calls("upload_file").size() == 1);
    CHECK(h.calls("post_message").size() >= 3);  // summary, detail, full waterfall
    CHECK(check_calls(h.chat) >= 20);
}

TEST_CASE("a link unfurl and the mention of a trace New Relic cannot fetch keep names inert") {
    Harness h;
    auto shared = event("link_shared");
    const std::string url = "https://one.newrelic.com/distributed-tracing?id=" + kTrace;
    shared.links.push_back({"one.newrelic.com", url});
    h.run_wired(handle_link_shared(shared));
    REQUIRE(h.calls("unfurl").size() == 1);
    h.traces.fail_with(FetchStatus::failed, kHostileName);
    auto mention = event("app_mention");
    mention.text = "<@UBOT> " + kTrace;
    const auto handled = handle_app_mention(mention);
    check_ack(handled);
    h.run_wired(handled);
    REQUIRE(h.calls("post_message").size() == 1);  // the problem, in the thread
    CHECK(check_calls(h.chat) >= 5);
}

TEST_CASE("/improve: the ack, the report, the overview and did-you-mean keep names inert") {
    Harness h;
    const auto report = handle_improve_command(command("/improve", kHostileName));
    check_ack(report);
    h.run_wired(report);
    CHECK(h.calls("post_message").size() >= 2);  // the report and its details
    h.run_wired(handle_improve_command(command("/improve", "")));
    h.run_wired(handle_improve_command(command("/improve", "nope")));
    const auto said = h.calls("respond");
    REQUIRE(said.size() == 1);
    CHECK(said[0].response.text.find("did you mean") != std::string::npos);
    CHECK(check_calls(h.chat) >= 10);
}

TEST_CASE("the Jira button: created, commented, failed and stale replies keep names inert") {
    Harness h;
    const auto value = [](const std::string& service, const std::string& endpoint) {
        return json{{"s", service}, {"e", endpoint}}.dump();
    };
    const auto endpoint = kHostileName + " POST /api/checkout";
    h.tickets.next.status = TicketStatus::created;
    h.tickets.next.key = kHostileName;
    h.tickets.next.url = "https://jira.example/browse/" + kHostileName;
    h.run_wired(handle_improve_jira(block_action("improve_jira", value(kHostileName, endpoint))));
    h.tickets.next.status = TicketStatus::commented;
    h.run_wired(handle_improve_jira(block_action("improve_jira", value(kHostileName, endpoint))));
    h.tickets.next.status = TicketStatus::failed;
    h.tickets.next.message = kHostileName;
    h.run_wired(handle_improve_jira(block_action("improve_jira", value(kHostileName, endpoint))));
    h.run_wired(handle_improve_jira(block_action("improve_jira", value(kHostileName, kHostileName)))
    );
    h.run_wired(handle_improve_jira(block_action("improve_jira", value("nope", endpoint))));
    const auto replies = h.calls("post_message");
    REQUIRE(replies.size() == 5);
    CHECK(replies[0].message.text.find("Created") != std::string::npos);
    CHECK(replies[1].message.text.find("already open") != std::string::npos);
    CHECK(replies[2].message.text.find("Could not file") != std::string::npos);
    CHECK(replies[3].message.text.find("no longer among") != std::string::npos);
    CHECK(replies[4].message.text.find("did you mean") != std::string::npos);
    CHECK(check_calls(h.chat) == 5);
}

TEST_CASE("the SLO digest and its review decisions keep names inert") {
    Harness h;
    const auto digest = handle_improve_command(command("/improve", "slo " + kHostileName));
    check_ack(digest);
    h.run_wired(digest);
    REQUIRE(h.calls("post_message").size() == 1);
    const std::string slo = h.config.slos.front().name;
    h.run_wired(handle_slo_review_keep(block_action(slo::kReviewKeepAction, slo)));
    h.run_wired(
        handle_slo_review_change(block_action(slo::kReviewChangeAction, h.config.slos[1].name))
    );
    h.run_wired(handle_slo_review_keep(block_action(slo::kReviewKeepAction, kHostileName)));
    h.run_wired(handle_improve_command(command("/improve", "slo nope")));
    CHECK(h.calls("post_message").size() == 3);
    CHECK(h.calls("respond").size() == 2);  // not configured; no SLO for that service
    CHECK(check_calls(h.chat) >= 5);
}

TEST_CASE("acks and busy notices for hostile input are inert") {
    for (const auto& text : {kHostileName, "slo " + kHostileName, kHostileName + " 99d"}) {
        check_ack(handle_improve_command(command("/improve", text)));
        check_ack(handle_trace_command(command("/trace", text)));
    }
    auto mention = event("app_mention");
    mention.text = kHostileName;
    check_ack(handle_app_mention(mention));
}

}  // namespace hostile_text_test
