// The NerdGraph context source's log lines against the fake NerdGraph over HTTP: every spelling
// of trace and span id and of the level, a full answer completed by the error query, hostile
// messages as data, unsafe trace ids, account groups, and a New Relic that hangs or fails. The
// fake evaluates the NRQL it receives, so a query New Relic would read differently gets a
// different answer (checked directly at the end).
#include <catch2/catch.hpp>

#include "nerdgraph_context_harness.hpp"
#include "newrelic/context_results.hpp"

namespace nerdgraph_context_source_test {

using namespace context_test;  // NOLINT(google-build-using-namespace): test helpers

namespace {

std::vector<FakeLogEvent> three_spellings() {
    return {
        log_at(
            1000,
            "payment declined",
            {{"trace.id", kTrace},
             {"span.id", "00f067aa0ba902b7"},
             {"level", "ERROR"},
             {"entity.name", "checkout"},
             {"service.name", "ignored"}}
        ),
        log_at(
            2000,
            "retrying",
            {{"trace_id", kTrace},
             {"span_id", "b7ad6b7169203331"},
             {"severity.text", "Warning"},
             {"service.name", "cart"}}
        ),
        log_at(
            3000,
            "loaded cart",
            {{"traceId", kTrace}, {"spanId", "0000000000000001"}, {"log.level", "info"}}
        ),
        log_at(4000, "no level", {{"trace.id", kTrace}}),
    };
}

const LogLine* find_line(const LogResult& r, const std::string& message) {
    for (const auto& line : r.lines) {
        if (line.message == message) return &line;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("log lines of every spelling of trace id, span id, level and service") {
    ContextHarness h;
    h.fake.add_logs(1, three_spellings());
    h.fake.add_logs(
        1,
        {log_at(500, "another trace", {{"trace.id", kOther}}),
         log_at(11 * kMinute, "before the window", {{"trace.id", kTrace}}),
         log_at(-kMinute, "after the window", {{"trace_id", kTrace}})}
    );

    const auto r = h.logs();
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.message.empty());
    CHECK_FALSE(r.truncated);
    REQUIRE(r.lines.size() == 4);
    const auto* declined = find_line(r, "payment declined");
    REQUIRE(declined != nullptr);
    CHECK(declined->timestamp_ms == kNow - 1000);
    CHECK(declined->level == "error");
    CHECK(declined->span_id == "00f067aa0ba902b7");
    CHECK(declined->service == "checkout");
    const auto* retrying = find_line(r, "retrying");
    REQUIRE(retrying != nullptr);
    CHECK(retrying->level == "warning");
    CHECK(retrying->span_id == "b7ad6b7169203331");
    CHECK(retrying->service == "cart");
    const auto* loaded = find_line(r, "loaded cart");
    REQUIRE(loaded != nullptr);
    CHECK(loaded->level == "info");
    CHECK(loaded->span_id == "0000000000000001");
    CHECK(find_line(r, "no level")->level.empty());
    REQUIRE(h.queries() == 1);
    CHECK(h.fake.variables_log()[0]["timeout"] == 5);
}

TEST_CASE("a full answer runs the error query: errors and warnings are never lost") {
    ContextHarness h;
    std::vector<FakeLogEvent> logs;
    for (int i = 0; i < 40; ++i) {  // the newest lines: only these fit in the first answer
        logs.push_back(
            log_at(1000 + i, "info " + std::to_string(i), {{"trace.id", kTrace}, {"level", "INFO"}})
        );
    }
    logs.push_back(log_at(5 * kMinute, "old error", {{"trace_id", kTrace}, {"level", "Error"}}));
    logs.push_back(
        log_at(6 * kMinute, "old fatal", {{"traceId", kTrace}, {"severity.text", "FATAL"}})
    );
    logs.push_back(log_at(7 * kMinute, "old warning", {{"trace.id", kTrace}, {"log.level", "warn"}})
    );
    logs.push_back(log_at(8 * kMinute, "old debug", {{"trace.id", kTrace}, {"level", "debug"}}));
    h.fake.add_logs(1, logs);

    const auto r = h.logs(kTrace, 10);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.truncated);
    REQUIRE(h.queries() == 2);
    CHECK(contains(h.fake.nrql_log()[0], " LIMIT 10"));
    CHECK(contains(h.fake.nrql_log()[1], "severity.text IN ("));
    CHECK(r.lines.size() == 10);
    CHECK(find_line(r, "old error") != nullptr);
    CHECK(find_line(r, "old fatal") != nullptr);
    CHECK(find_line(r, "old warning") != nullptr);
    CHECK(find_line(r, "old debug") == nullptr);
    CHECK(find_line(r, "info 0") != nullptr);  // the newest line stays
}

TEST_CASE("exactly max lines without more: truncated, the error query finds nothing new") {
    ContextHarness h;
    h.fake.add_logs(1, three_spellings());
    const auto r = h.logs(kTrace, 4);
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.truncated);  // a full answer cannot tell
    CHECK(r.lines.size() == 4);
    CHECK(h.queries() == 2);
}

TEST_CASE("a hostile log message arrives intact, as data") {
    ContextHarness h;
    const std::string hostile =
        "x' OR trace.id IS NOT NULL OR 'y <!channel> *bold* `rm -rf` \"q\" \\ \u202e\u00e9 ";
    const std::string huge(50'000, 'z');
    h.fake.add_logs(
        1,
        {log_at(1000, hostile, {{"trace.id", kTrace}, {"level", "ERROR"}}),
         log_at(2000, huge, {{"trace.id", kTrace}})}
    );
    const auto r = h.logs();
    REQUIRE(r.status == FetchStatus::found);
    REQUIRE(r.lines.size() == 2);
    CHECK(find_line(r, hostile) != nullptr);
    const auto* cut = find_line(r, huge.substr(0, newrelic::kMaxReadMessage));  // kept, bounded
    CHECK(cut != nullptr);
}

TEST_CASE("an unsafe trace id: failed with a message, no query sent") {
    ContextHarness h;
    const auto r = h.logs("x' OR trace.id IS NOT NULL OR '");
    CHECK(r.status == FetchStatus::failed);
    CHECK_FALSE(r.message.empty());
    CHECK(r.lines.empty());
    CHECK(h.queries() == 0);
}

TEST_CASE("logs of more than 5 accounts: a query per group of 5, lines joined") {
    ContextHarness h;
    h.config.accounts = {1, 2, 3, 4, 5, 6, 7};
    h.fake.add_logs(2, {log_at(1000, "from account 2", {{"trace.id", kTrace}})});
    h.fake.add_logs(7, {log_at(2000, "from account 7", {{"trace_id", kTrace}})});
    const auto r = h.logs();
    REQUIRE(r.status == FetchStatus::found);
    CHECK(r.lines.size() == 2);
    const auto vars = h.fake.variables_log();
    REQUIRE(vars.size() == 2);
    CHECK(vars[0]["accounts"].size() == 5);
    CHECK(vars[1]["accounts"].size() == 2);
}

TEST_CASE("a New Relic that hangs: timed out within the deadline, a short message") {
    ContextHarness h;
    h.deadline = std::chrono::milliseconds(600);
    h.fake.add_logs(1, three_spellings());
    h.fake.push_fault(NerdGraphFault::of(NerdGraphFault::Kind::hang));
    const auto start = std::chrono::steady_clock::now();
    const auto r = h.logs();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    CHECK(r.status == FetchStatus::timed_out);
    CHECK(r.message == "New Relic did not answer the log query in time");
    CHECK(r.lines.empty());
}

TEST_CASE("a New Relic that answers 503: unavailable within the deadline, never the key") {
    ContextHarness h;
    h.deadline = std::chrono::milliseconds(1500);
    h.fake.add_logs(1, three_spellings());
    for (int i = 0; i < 20; ++i) h.fake.push_fault(NerdGraphFault::http(503));
    const auto start = std::chrono::steady_clock::now();
    const auto r = h.logs();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    CHECK(r.status == FetchStatus::unavailable);
    CHECK(contains(r.message, "HTTP 503"));
    CHECK(r.message.size() < 120);
    CHECK_FALSE(contains(r.message, FakeNerdGraph::kApiKey));
    CHECK_FALSE(h.logs_mention(FakeNerdGraph::kApiKey));
}

TEST_CASE("the fake evaluates queries: a narrower query gets a different answer") {
    std::vector<FakeLogEvent> logs = three_spellings();
    std::vector<FakeEvent> events;
    for (const auto& e : logs) events.push_back(FakeEvent{nullptr, &e});
    const std::string window =
        " SINCE " + std::to_string(kNow - kMinute) + " UNTIL " + std::to_string(kNow);
    const auto ours = evaluate_nrql(
        "SELECT message FROM Log WHERE (trace.id = '" + std::string(kTrace) + "' OR trace_id = '" +
            kTrace + "' OR traceId = '" + kTrace + "')" + window + " LIMIT 10",
        events
    );
    const auto narrow = evaluate_nrql(
        "SELECT message FROM Log WHERE trace.id = '" + std::string(kTrace) + "'" + window, events
    );
    const auto one_spelling = evaluate_nrql(
        "SELECT message FROM Log WHERE (trace.id = '" + std::string(kTrace) + "' OR trace_id = '" +
            kTrace + "') AND level IN ('ERROR', 'WARN')" + window,
        events
    );
    REQUIRE(ours);
    REQUIRE(narrow);
    REQUIRE(one_spelling);
    CHECK(ours->size() == 4);
    CHECK((*ours)[0]["message"] == "payment declined");  // the most recent first
    CHECK(narrow->size() == 2);
    CHECK(one_spelling->size() == 1);  // severity.text 'Warning' is not `level`
    CHECK_FALSE(evaluate_nrql("SELECT message FROM Logs" + window, events));
    CHECK_FALSE(evaluate_nrql("SELECT message, count(*) AS 'n' FROM Log" + window, events));
    CHECK_FALSE(evaluate_nrql("SELECT message FROM Log" + window + " TIMESERIES 5 minutes", events)
    );
}

}  // namespace nerdgraph_context_source_test
