// Jaeger JSON reader: every public fixture in test/fixtures/jaeger loads with the expected counts
// and field values; API envelope, FOLLOWS_FROM, logs, processes, duplicate span ids.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_jaeger_test {

namespace {

using nra::test::attr;
using nra::test::load;
using nra::test::parse;
using nra::test::services;

const nra::Span& find(const nra::Trace& trace, std::string_view id) {
    auto it = std::find_if(trace.spans.begin(), trace.spans.end(), [&](const nra::Span& s) {
        return s.span_id == id;
    });
    REQUIRE(it != trace.spans.end());
    return *it;
}

// Expected counts for every fixture, taken from the JSON independently of the reader.
struct Expect {
    const char* file;
    std::size_t spans;
    std::size_t services;
    std::size_t errors;
    std::size_t roots;
    const char* trace_id;
};
const Expect kCases[] = {
    {"jaeger/genaiTestTrace.json", 57, 10, 1, 1, "4a1b2c3d4e5f60718293a4b5c6d7e8f9"},
    {"jaeger/spanAmongEachOtherGroupedAndSpans.json",
     17,
     2,
     0,
     1,
     "df84e36b9e2ee3815d07f0867a5be1f"},
    {"jaeger/spanLongerAsParent.json", 8, 2, 0, 1, "9ced30503c58dab894a2d7598b01a87a"},
    {"jaeger/spansAmongEachOther.json", 12, 2, 0, 1, "df84e36b9e2ee3815d07f0867a5be1f"},
    {"jaeger/spansAmongEachOtherGrouped.json", 15, 2, 0, 1, "df84e36b9e2ee3815d07f0867a5be1f"},
    {"jaeger/testTrace.json", 11, 2, 1, 1, "trace-123"},
    {"jaeger/testTraceNormal.json", 5, 2, 0, 1, "4766f1209f70a5e2e55417fc296fd101"},
    {"jaeger/traceWithMultipleSpansWithTheSameValueInDifferentTags.json",
     4,
     1,
     0,
     4,
     "006c3cf93508f205"},
    {"jaeger/traceWithOverlappingChildren.json", 3, 2, 0, 1, "006c3cf93508f205"},
    {"jaeger/traceWithOverlappingChildrenLongerThanParent.json", 4, 2, 0, 1, "006c3cf93508f205"},
    {"jaeger/traceWithSingleChildLongerThanParentAndStartsAfterParent.json",
     2,
     2,
     0,
     1,
     "006c3cf93508f205"},
    {"jaeger/traceWithThreeShortChildren.json", 4, 2, 0, 1, "006c3cf93508f205"},
    {"jaeger/traceWithThreeShortOverlappingChildren.json", 4, 2, 0, 1, "006c3cf93508f205"},
    {"jaeger/traceWithTwoChildrenStartedAtTraceStart.json", 3, 2, 0, 1, "006c3cf93508f205"},
    {"jaeger/traceWithTwoNonOverlappingChildren.json", 3, 2, 0, 1, "006c3cf93508f205"},
};

}  // namespace

TEST_CASE("every Jaeger fixture loads with its span, service and error counts") {
    for (const auto& c : kCases) {
        INFO(c.file);
        CHECK(nra::detect_format(nra::test::read_fixture(c.file)) == nra::TraceFormat::jaeger);
        const nra::Trace trace = load(c.file);
        CHECK(trace.spans.size() == c.spans);
        CHECK(services(trace) == c.services);
        const auto errors = std::count_if(
            trace.spans.begin(), trace.spans.end(), [](const auto& s) { return s.error; }
        );
        CHECK(static_cast<std::size_t>(errors) == c.errors);
        const auto roots = std::count_if(trace.spans.begin(), trace.spans.end(), [](const auto& s) {
            return s.parent_id.empty();
        });
        CHECK(static_cast<std::size_t>(roots) == c.roots);
        CHECK(trace.trace_id == c.trace_id);
        CHECK(trace.warnings.empty());
    }
}

TEST_CASE("Jaeger genai: current OpenTelemetry names fill the DB and HTTP fields") {
    const nra::Trace trace = load("jaeger/genaiTestTrace.json");
    const auto& root = find(trace, "0000000000000001");
    CHECK(root.name == "POST /api/graphql");
    CHECK(root.service == "api-edge");
    CHECK(root.kind == nra::SpanKind::server);
    CHECK(root.http_method == "POST");
    CHECK(root.http_route == "/api/graphql");
    CHECK(root.http_status == 200);
    CHECK(root.start_us == 1770000000001000);
    CHECK(root.duration_us == 44000000);
    CHECK(root.parent_id.empty());

    const auto& db = find(trace, "000000000000000b");
    CHECK(db.parent_id == "000000000000000a");
    CHECK(db.service == "metrics-backend");
    CHECK(db.kind == nra::SpanKind::client);
    CHECK(db.db_system == "clickhouse");
    CHECK(db.db_statement == "SELECT series FROM samples WHERE name = ? AND ts > ?");
    CHECK(db.category == nra::SpanCategory::datastore);
    CHECK(attr(db, "db.namespace") == "metrics");
    CHECK(db.duration_us == 120000);

    const auto& llm = find(trace, "0000000000000006");
    CHECK(llm.http_url == "https://api.example-ai.test/v1/messages");
    CHECK(llm.category == nra::SpanCategory::http);
    CHECK(llm.service == "coding-agent");

    const auto& failed = find(trace, "0000000000000011");
    CHECK(failed.error);
    CHECK(failed.http_status == 500);
    CHECK(failed.service == "k8s-api");
    CHECK(failed.http_route == "/api/v1/pods");
}

TEST_CASE("Jaeger testTrace: error tag, FOLLOWS_FROM, db.type and process hostname") {
    const nra::Trace trace = load("jaeger/testTrace.json");
    const auto& failed = find(trace, "span-2");
    CHECK(failed.error);
    CHECK(failed.parent_id == "span-1");
    CHECK(failed.kind == nra::SpanKind::client);
    CHECK(failed.host == "foobar.org");
    CHECK(failed.start_us == 1542666453104000);
    CHECK(failed.duration_us == 33000);

    const auto& consumer = find(trace, "span-7");
    CHECK(consumer.follows_from);
    CHECK(consumer.parent_id == "span-6");
    CHECK(consumer.kind == nra::SpanKind::consumer);
    CHECK(consumer.service == "service2");

    const auto& sql = find(trace, "span-5");
    CHECK(sql.db_system == "sql");
    CHECK(sql.category == nra::SpanCategory::datastore);
    CHECK_FALSE(find(trace, "span-4").follows_from);
}

TEST_CASE("Jaeger JDBC fixtures: the sql tag is the statement") {
    const nra::Trace trace = load("jaeger/spanAmongEachOtherGroupedAndSpans.json");
    const auto statements =
        std::count_if(trace.spans.begin(), trace.spans.end(), [](const auto& s) {
            return s.db_statement == "select * from test";
        });
    CHECK(statements == 13);
    const auto& query = find(trace, "9f0a544e33b693c2");
    CHECK(query.db_statement == "select * from test2");
    CHECK(query.parent_id == "6f9bbe751e5fd944");
    CHECK(query.service == "customers-service");
    CHECK(query.start_us == 1573131432957522);
    CHECK(query.duration_us == 46);
    CHECK(attr(query, "database") == "jdbc:hsqldb:mem:testdb");
}

TEST_CASE("Jaeger: duplicate span ids are all kept") {
    const nra::Trace trace =
        load("jaeger/traceWithMultipleSpansWithTheSameValueInDifferentTags.json");
    const auto dupes = std::count_if(trace.spans.begin(), trace.spans.end(), [](const auto& s) {
        return s.span_id == "2dc4b796e2127e32";
    });
    CHECK(dupes == 2);
    CHECK(trace.spans[1].name == "span with test");
    CHECK(trace.spans[2].name == "another span with test");
    CHECK(attr(trace.spans[2], "app.test-group3") == "group2");
    CHECK(trace.spans[1].start_us == 110);
    CHECK(trace.spans[1].duration_us == 10);
}

TEST_CASE("Jaeger: the API envelope with several traces keeps the largest or the one asked for") {
    const std::string one = nra::test::read_fixture("jaeger/testTraceNormal.json");
    const std::string two = nra::test::read_fixture("jaeger/traceWithOverlappingChildren.json");
    const std::string json = R"({"data":[)" + one + "," + two + R"(],"total":0,"errors":null})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::jaeger);
    const nra::Trace largest = parse(json);
    CHECK(largest.trace_id == "4766f1209f70a5e2e55417fc296fd101");
    CHECK(largest.spans.size() == 5);
    REQUIRE(largest.warnings.size() == 1);
    CHECK(
        largest.warnings[0] ==
        "file holds 2 traces; analysing 4766f1209f70a5e2e55417fc296fd101 (5 spans); other trace: "
        "006c3cf93508f205 (3 spans)"
    );
    const nra::Trace chosen = parse(json, "006C3CF93508F205");
    CHECK(chosen.trace_id == "006c3cf93508f205");
    CHECK(chosen.spans.size() == 3);
}

TEST_CASE("Jaeger: logs, inline process, legacy parentSpanID and FOLLOWS_FROM fallback") {
    const std::string json = R"({"traceID":"T1","spans":[
      {"traceID":"T1","spanID":"A","operationName":"root","startTime":10,"duration":100,
       "references":[],"process":{"serviceName":"inline","tags":[{"key":"ip","value":"10.0.0.1"}]}},
      {"spanID":"B","operationName":"work","startTime":20,"duration":30,"parentSpanID":"A",
       "processID":"p1","tags":[{"key":"error","type":"bool","value":true},
         {"key":"otel.status_code","value":"ERROR"},{"key":"retries","type":"int64","value":3}],
       "logs":[{"timestamp":25,"fields":[{"key":"event","value":"error"},
         {"key":"error.kind","value":"TimeoutError"},{"key":"message","value":"took too long"}]}]},
      {"traceID":"t1","spanID":"C","operationName":"async","startTime":60,"duration":5,"processID":"p1",
       "references":[{"refType":"FOLLOWS_FROM","spanID":"B"},{"refType":"FOLLOWS_FROM","spanID":"A"}]},
      {"traceID":"t1","spanID":"D","operationName":"both","startTime":60,"duration":5,"processID":"p1",
       "references":[{"refType":"FOLLOWS_FROM","spanID":"B"},{"refType":"CHILD_OF","spanID":"A"}],
       "tags":[{"key":"peer.service","value":"billing"},{"key":"error","value":"false"}]}],
     "processes":{"p1":{"serviceName":"svc","tags":[{"key":"hostname","value":"box-1"}]}}})";
    const nra::Trace trace = parse(json);
    REQUIRE(trace.spans.size() == 4);
    CHECK(trace.trace_id == "t1");
    CHECK(trace.spans[0].service == "inline");
    CHECK(trace.spans[0].host == "10.0.0.1");
    const auto& b = trace.spans[1];
    CHECK(b.trace_id == "t1");  // from the trace object
    CHECK(b.parent_id == "a");
    CHECK(b.error);
    CHECK(b.error_message == "took too long");
    CHECK(b.error_class == "TimeoutError");
    CHECK(b.host == "box-1");
    CHECK(attr(b, "retries") == "3");
    CHECK(trace.spans[2].follows_from);
    CHECK(trace.spans[2].parent_id == "b");
    CHECK_FALSE(trace.spans[3].follows_from);
    CHECK(trace.spans[3].parent_id == "a");
    CHECK(trace.spans[3].peer_host == "billing");
    CHECK_FALSE(trace.spans[3].error);
}

}  // namespace formats_jaeger_test
