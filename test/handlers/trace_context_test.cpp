// The incident context of /trace: logs and blast radius asked beside the analysis, shown in the
// summary and the detail; a source that fails or is slow said in one phrase; a summary posted
// before the extras arrived updated in place (chat.update), never posted twice.
#include <catch2/catch.hpp>

#include "app/asio_background.hpp"
#include "demo/demo_baseline_source.hpp"
#include "registry.hpp"
#include "support/fake_context.hpp"
#include "support/handler_harness.hpp"

namespace trace_context_test {

using namespace nra;
using namespace nra::test;

namespace {

constexpr std::int64_t kNowS = 1'796'577'800;
const std::string kOrders = "a1b2c3d4e5f60718293a4b5c6d7e8f90";  // fails in fraud-check
const std::string kSearch = "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d";  // a slow query, no error
const std::string kClean = "5f2b7c9d1e3a4b6c8d0e2f4a6b8c0d1e";   // fast, nothing to say

struct Context {
    Context() {
        source.log_answer.status = FetchStatus::found;
        source.log_answer.lines = {
            {1'700'000'000'100, "INFO", "cart loaded", "", "checkout-service"},
            {1'700'000'000'200, "ERROR", "payment <!here> refused `x`", "", "payment-service"},
        };
        source.blast_answer.status = FetchStatus::found;
        for (int i = 0; i < 12; ++i) {
            const std::int64_t start = kNowS * 1000 - (12 - i) * 300'000;
            source.blast_answer.series.buckets.push_back({start, 100, i < 8 ? 0 : 20});
        }
        source.blast_answer.series.previous_day = std::vector<BlastBucket>(12, {0, 100, 0});
    }
    Ports wire(HandlerHarness& h) {
        Ports ports = h.ports();
        ports.context = &source;
        ports.epoch_seconds = [] { return kNowS; };
        return ports;
    }
    FakeContextSource source;
};

Job trace_job(const std::string& id) {
    auto handled = handle_trace_command(slash_command("/trace", id));
    REQUIRE(handled.job);
    return *handled.job;
}

std::string text_of(const ChatCall& call) {
    return call.message.text + call.message.blocks.dump();
}

}  // namespace

TEST_CASE("the trace's logs and blast radius are asked for and shown") {
    HandlerHarness h;
    Context c;
    const Ports ports = c.wire(h);
    h.run_with(trace_job(kOrders), ports);
    REQUIRE(c.source.log_queries.size() == 1);
    const auto& logs = c.source.log_queries[0];
    CHECK(logs.trace_id == kOrders);
    CHECK(logs.from_ms < logs.to_ms);
    REQUIRE(c.source.blast_queries.size() == 1);
    CHECK(c.source.blast_queries[0].until_ms == kNowS * 1000);
    const auto& subject = c.source.blast_queries[0].subject;
    CHECK(subject.match == BlastSubject::Match::failure);
    CHECK(subject.service == "fraud-check");  // where the failure started, not the entry point
    CHECK(subject.noun == "calls");
    CHECK(subject.error_class == "java.net.SocketTimeoutException");
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() >= 2);
    const auto summary = text_of(posts[0]);
    CHECK(summary.find("Not alone: 80 of 1,200") != std::string::npos);
    // The error line names no span: it is the first error log, not the failing span's.
    CHECK(summary.find("Log of the failing span") == std::string::npos);
    CHECK(summary.find("First error log") != std::string::npos);
    const auto detail = text_of(posts[1]);
    CHECK(detail.find("Error and warning logs") != std::string::npos);
    CHECK(detail.find("&lt;!here&gt;") != std::string::npos);
    CHECK(detail.find("<!here>") == std::string::npos);
    CHECK(h.calls("update_message").empty());  // everything arrived before the post
}

TEST_CASE("a context source that fails is said in one phrase, the analysis still posted") {
    HandlerHarness h;
    Context c;
    c.source.log_answer = LogResult{
        FetchStatus::timed_out, "New Relic did not answer the log query in time", {}, false};
    c.source.blast_answer.status = FetchStatus::rate_limited;
    c.source.blast_answer.message = "New Relic is rate limiting this account";
    const Ports ports = c.wire(h);
    h.run_with(trace_job(kOrders), ports);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() >= 2);
    const auto summary = text_of(posts[0]);
    CHECK(
        summary.find("Logs: New Relic did not answer the log query in time") != std::string::npos
    );
    CHECK(
        summary.find("Blast radius: New Relic is rate limiting this account") != std::string::npos
    );
    CHECK(summary.find("Critical path") == std::string::npos);  // the summary, not the detail
}

TEST_CASE("a summary posted before its extras arrived is updated in place, then the picture") {
    HandlerHarness h;
    Context c;
    c.source.delay = std::chrono::milliseconds(50);
    Ports ports = c.wire(h);
    ports.background = start_in_background;
    ports.extras_grace = std::chrono::milliseconds(0);  // post at once: the extras come later
    h.run_with(trace_job(kOrders), ports);
    std::vector<std::string> order;
    for (const auto& call : h.chat.calls) order.push_back(call.method);
    CHECK(
        order ==
        std::vector<std::string>{
            "post_message", "post_message", "update_message", "update_message", "upload_file"}
    );
    const auto posts = h.calls("post_message");
    const auto updates = h.calls("update_message");
    REQUIRE(updates.size() == 2);
    CHECK(text_of(posts[0]).find("still coming") != std::string::npos);
    CHECK(text_of(posts[0]).find("Not alone") == std::string::npos);
    CHECK(updates[0].target == "1700000000.100001");  // the summary's ts
    CHECK(text_of(updates[0]).find("Not alone: 80 of 1,200") != std::string::npos);
    CHECK(text_of(updates[0]).find("still coming") == std::string::npos);
    CHECK(updates[1].target == "1700000000.100002");  // the detail's ts
    CHECK(text_of(updates[1]).find("Error and warning logs") != std::string::npos);
}

TEST_CASE("extras that never arrive are said once their deadline has passed") {
    HandlerHarness h;
    Context c;
    c.source.delay = std::chrono::milliseconds(400);
    Ports ports = c.wire(h);
    ports.background = start_in_background;
    ports.extras_grace = std::chrono::milliseconds(0);
    ports.context_deadline = std::chrono::milliseconds(100);
    h.run_with(trace_job(kOrders), ports);
    const auto updates = h.calls("update_message");
    REQUIRE(updates.size() == 2);
    CHECK(text_of(updates[0]).find("Logs: New Relic did not answer in time.") != std::string::npos);
    CHECK(text_of(updates[0]).find("Not alone") == std::string::npos);
}

TEST_CASE("slowness is counted only for a request slower than its usual p99") {
    HandlerHarness h;
    Context c;
    DemoBaselineSource baselines;
    Ports ports = c.wire(h);
    ports.baselines = &baselines;
    h.run_with(trace_job(kSearch), ports);
    REQUIRE(c.source.blast_queries.size() == 1);
    const auto& subject = c.source.blast_queries[0].subject;
    CHECK(subject.match == BlastSubject::Match::slowness);
    CHECK(subject.noun == "requests");
    CHECK(subject.usual_p99_ms > 0);
    CHECK(subject.usual_p99_ms < subject.trace_ms);
    CHECK(text_of(h.calls("post_message")[0]).find("were slower than usual") != std::string::npos);

    h.run_with(trace_job(kClean), ports);  // fast: no blast radius asked, nothing said
    CHECK(c.source.blast_queries.size() == 1);
    ports.baselines = nullptr;  // without usual durations nobody can say "slower than usual"
    h.run_with(trace_job(kSearch), ports);
    CHECK(c.source.blast_queries.size() == 1);
}

}  // namespace trace_context_test

namespace trace_context_test {

TEST_CASE("the typical request and the deployments are asked for and shown") {
    HandlerHarness h;
    Context c;
    const std::string typical = "6c2e0b1a8d7f4e5a9b3c1d2e4f5a6b7c";  // the demo's normal search
    c.source.typical_answer.candidates = {
        {"00000000000000000000000000000bad", 280},  // cannot be fetched: the next one is tried
        {typical, 280}};
    c.source.change_answer.events = {
        {"search-service", 1'795'168'980'000, "4.2.0", "ranking <!channel> `query`", "", ""},
        {"not-in-this-trace", 1'795'168'980'000, "1", "", "", ""}};
    const Ports ports = c.wire(h);
    h.run_with(trace_job(kSearch), ports);
    REQUIRE(c.source.typical_queries.size() == 1);
    const auto& q = c.source.typical_queries[0];
    CHECK(q.service == "storefront-bff");
    CHECK(q.name == "GET /api/search");
    CHECK(q.trace_id == kSearch);
    CHECK(q.to_ms - q.from_ms == 24 * 3'600'000);
    REQUIRE(c.source.change_queries.size() == 1);
    const auto& services = c.source.change_queries[0].services;
    CHECK(std::find(services.begin(), services.end(), "search-service") != services.end());
    CHECK_FALSE(c.source.change_queries[0].guids.empty());  // the demo spans carry entity.guid
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() >= 2);
    const auto summary = text_of(posts[0]);
    CHECK(summary.find("Compared with a typical") != std::string::npos);
    CHECK(summary.find("deployed") != std::string::npos);
    CHECK(summary.find("not-in-this-trace") == std::string::npos);
    const auto detail = text_of(posts[1]);
    CHECK(detail.find("Compared with a typical request") != std::string::npos);
    CHECK(detail.find(typical) != std::string::npos);
    CHECK(detail.find("<!channel>") == std::string::npos);  // a deployment's text, escaped
}

TEST_CASE("no typical request: said in one phrase, the analysis still posted") {
    HandlerHarness h;
    Context c;
    c.source.typical_answer.candidates = {{kOrders, 200}};  // another endpoint, and it failed
    const Ports ports = c.wire(h);
    h.run_with(trace_job(kSearch), ports);
    const auto posts = h.calls("post_message");
    REQUIRE(posts.size() >= 2);
    const auto summary = text_of(posts[0]);
    CHECK(summary.find("Typical request: no error-free request") != std::string::npos);
    CHECK(summary.find("Compared with a typical") == std::string::npos);
}

}  // namespace trace_context_test
