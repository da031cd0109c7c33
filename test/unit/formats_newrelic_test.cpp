// New Relic reader: NerdGraph envelopes, bare NRQL rows, Trace API payloads; agent and
// OpenTelemetry attribute names must map to identical model values.
#include <catch2/catch.hpp>
#include <string>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_newrelic_test {

namespace {

using nra::test::attr;
using nra::test::load;
using nra::test::parse;

// Every modelled field of two spans (attributes differ by dialect and are compared elsewhere).
void check_same(const nra::Span& a, const nra::Span& b) {
    INFO("span " << a.span_id);
    CHECK(a.span_id == b.span_id);
    CHECK(a.parent_id == b.parent_id);
    CHECK(a.trace_id == b.trace_id);
    CHECK(a.name == b.name);
    CHECK(a.service == b.service);
    CHECK(a.host == b.host);
    CHECK(a.kind == b.kind);
    CHECK(a.category == b.category);
    CHECK(a.follows_from == b.follows_from);
    CHECK(a.start_us == b.start_us);
    CHECK(a.duration_us == b.duration_us);
    CHECK(a.error == b.error);
    CHECK(a.error_message == b.error_message);
    CHECK(a.error_class == b.error_class);
    CHECK(a.http_status == b.http_status);
    CHECK(a.db_system == b.db_system);
    CHECK(a.db_statement == b.db_statement);
    CHECK(a.http_method == b.http_method);
    CHECK(a.http_url == b.http_url);
    CHECK(a.http_route == b.http_route);
    CHECK(a.peer_host == b.peer_host);
    CHECK(a.code_function == b.code_function);
    CHECK(a.code_filepath == b.code_filepath);
    CHECK(a.code_lineno == b.code_lineno);
    CHECK(a.messaging_destination == b.messaging_destination);
}

}  // namespace

TEST_CASE("New Relic agent rows and OpenTelemetry rows map to identical model values") {
    const std::string agent_json = nra::test::read_fixture("newrelic/agent-rows.json");
    CHECK(nra::detect_format(agent_json) == nra::TraceFormat::newrelic);
    const nra::Trace agent = parse(agent_json);
    const nra::Trace otel = load("newrelic/otel-rows.json");
    REQUIRE(agent.spans.size() == 5);
    REQUIRE(otel.spans.size() == 5);
    CHECK(agent.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
    CHECK(otel.trace_id == agent.trace_id);
    CHECK(agent.warnings.empty());
    CHECK(otel.warnings.empty());
    for (std::size_t i = 0; i < agent.spans.size(); ++i) {
        check_same(agent.spans[i], otel.spans[i]);
    }
}

TEST_CASE("New Relic rows: exact values of the agent dialect's root and datastore rows") {
    const nra::Trace trace = load("newrelic/agent-rows.json");
    const auto& root = trace.spans[0];
    CHECK(root.span_id == "00f067aa0ba902b7");
    CHECK(root.parent_id.empty());
    CHECK(root.name == "GET /orders");
    CHECK(root.service == "checkout");
    CHECK(root.host == "web-1");
    CHECK(root.kind == nra::SpanKind::server);
    CHECK(root.start_us == 1718153645993000);
    CHECK(root.duration_us == 250000);  // 0.25 s
    CHECK(root.http_status == 200);
    CHECK_FALSE(root.error);  // "error.class": null is absent, not an error
    CHECK(attr(root, "nr.entryPoint") == "true");
    CHECK(attr(root, "priority") == "1.437245");
    CHECK(attr(root, "transaction.name") == "WebTransaction/Expressjs/GET//orders");
    CHECK(attr(root, "entity.guid") == "MTIzNHxBUE18QVBQTElDQVRJT058NTY3OA");
    CHECK(attr(root, "guid") == "<absent>");  // mapped keys are not repeated as attributes

    const auto& db = trace.spans[1];
    CHECK(db.span_id == "b7ad6b7169203331");  // upper-case guid normalised
    CHECK(db.parent_id == "00f067aa0ba902b7");
    CHECK(db.start_us == 1718153646004500);  // fractional milliseconds
    CHECK(db.duration_us == 12500);
    CHECK(db.category == nra::SpanCategory::datastore);
    CHECK(db.db_system == "postgresql");
    CHECK(db.db_statement == "SELECT * FROM orders WHERE id = ?");
    CHECK(db.peer_host == "db-1.internal");
    CHECK(attr(db, "db.instance") == "orders");
}

TEST_CASE("New Relic rows: exact values of the agent dialect's external, handler and producer") {
    const nra::Trace trace = load("newrelic/agent-rows.json");
    const auto& call = trace.spans[2];
    CHECK(call.error);
    CHECK(call.error_class == "Error");
    CHECK(call.error_message == "upstream unavailable");
    CHECK(call.http_status == 503);
    CHECK(call.http_url == "https://inventory.internal/items");
    CHECK(call.category == nra::SpanCategory::http);

    const auto& handler = trace.spans[3];
    CHECK(handler.service == "inventory");
    CHECK(handler.code_function == "listItems");
    CHECK(handler.code_filepath == "src/items.js");
    CHECK(handler.code_lineno == 42);
    CHECK_FALSE(handler.error);

    const auto& produce = trace.spans[4];
    CHECK(produce.kind == nra::SpanKind::producer);
    CHECK(produce.messaging_destination == "orders-events");
    CHECK(produce.category == nra::SpanCategory::messaging);
    CHECK(produce.duration_us == 5000);
}

TEST_CASE("New Relic: the cross-account NerdGraph envelope") {
    const nra::Trace trace = load("newrelic/cross-account.json");
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.trace_id == "0af7651916cd43dd8448eb211c80319c");
    CHECK(trace.spans[0].service == "payments");
    CHECK(trace.spans[1].service == "ledger");
    CHECK(trace.spans[1].parent_id == "b9c7c989f97918e1");
    CHECK(trace.spans[1].duration_us == 25250);
    CHECK(trace.spans[1].kind == nra::SpanKind::internal);
}

TEST_CASE("New Relic: a NerdGraph error response becomes the error message") {
    const std::string json = nra::test::read_fixture("newrelic/errors.json");
    CHECK(nra::detect_format(json) == nra::TraceFormat::newrelic);
    auto result = nra::read_trace(json);
    REQUIRE_FALSE(result.ok());
    CHECK(
        result.error() ==
        "New Relic returned an error: NRQL Syntax Error: Error at line 1 position 8, unexpected "
        "'FRM'"
    );

    auto bare = nra::read_trace(R"({"errors":[{"message":"line one\nline two"}]})");
    REQUIRE_FALSE(bare.ok());
    CHECK(bare.error() == "New Relic returned an error: line one line two");

    // Results and errors together: the rows are read, the error becomes a warning.
    const nra::Trace partial = parse(R"({"errors":[{"message":"1 account timed out"}],
      "data":{"actor":{"nrql":{"results":[{"trace.id":"ab","id":"01","timestamp":1,"duration.ms":1}]}}}})"
    );
    CHECK(partial.spans.size() == 1);
    CHECK(
        partial.warnings ==
        std::vector<std::string>{"New Relic reported an error: 1 account timed out"}
    );
}

TEST_CASE("New Relic Trace API payload: common attributes apply to every span") {
    const std::string json = nra::test::read_fixture("newrelic/trace-api.json");
    CHECK(nra::detect_format(json) == nra::TraceFormat::newrelic);
    const nra::Trace trace = parse(json);
    REQUIRE(trace.spans.size() == 3);
    const auto& root = trace.spans[0];
    CHECK(root.service == "checkout");
    CHECK(root.host == "web-1");
    CHECK(root.kind == nra::SpanKind::server);
    CHECK(root.duration_us == 250000);
    CHECK(attr(root, "environment") == "staging");
    const auto& call = trace.spans[1];
    CHECK(call.parent_id == "00f067aa0ba902b7");
    CHECK(call.error);  // any error.* attribute marks an error
    CHECK(call.error_message == "upstream unavailable");
    CHECK(call.category == nra::SpanCategory::http);
    CHECK(attr(call, "environment") == "canary");  // the span's own value wins
    const auto& handler = trace.spans[2];
    CHECK(handler.service == "inventory");
    CHECK(handler.host == "inv-1");
    CHECK(handler.error);  // "error": true
    CHECK(handler.start_us == 1718153646031000);
}

TEST_CASE("New Relic: bare rows, a results object, name precedence, error rules") {
    const std::string rows = R"([
      {"traceId":"AA","guid":"01","timestamp":"1000","duration":0.001,"appName":"agent-app",
       "entity.name":"entity","error.expected":true},
      {"traceId":"aa","guid":"02","parentId":"01","timestamp":1001,"duration":0.002,
       "appName":"agent-app","service.name":"otel-svc","error.expected":true,"error.class":"E"},
      {"trace.id":"aa","id":3,"parent.id":"02","timestamp":1002.25,"duration.ms":"1.5",
       "duration":9,"otel.status_code":"OK","error.custom":"x","host.id":"i-1","host.name":"h"}
    ])";
    CHECK(nra::detect_format(rows) == nra::TraceFormat::newrelic);
    const nra::Trace trace = parse(rows);
    REQUIRE(trace.spans.size() == 3);
    CHECK(trace.trace_id == "aa");
    CHECK(trace.spans[0].service == "entity");  // entity.name before appName
    CHECK(trace.spans[0].start_us == 1000000);
    CHECK_FALSE(trace.spans[0].error);  // error.expected alone is not an error
    CHECK(attr(trace.spans[0], "error.expected") == "true");
    CHECK(trace.spans[1].service == "otel-svc");  // service.name first
    CHECK(trace.spans[1].error);
    CHECK(trace.spans[2].span_id == "3");
    CHECK(trace.spans[2].start_us == 1002250);
    CHECK(trace.spans[2].duration_us == 1500);  // duration.ms wins over duration
    CHECK(trace.spans[2].error);                // error.custom is an error.* attribute
    CHECK(trace.spans[2].host == "h");
    CHECK(attr(trace.spans[2], "error.custom") == "x");

    const nra::Trace wrapped = parse(R"({"results":)" + rows + "}");
    CHECK(wrapped.spans.size() == 3);
    auto empty = nra::read_trace(R"({"results":[]})");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error() == "New Relic NRQL results: no spans found: \"results\" is empty");
}

TEST_CASE(
    "a single Trace API batch without common attributes is New Relic, not Jaeger", "[formats]"
) {
    const std::string json =
        R"({"spans":[{"id":"a1","trace.id":"t1","timestamp":1700000000000,)"
        R"("attributes":{"duration.ms":12.5,"service.name":"svc","name":"GET /x"}},)"
        R"({"id":"b1","trace.id":"t1","timestamp":1700000000002,)"
        R"("attributes":{"duration.ms":5,"service.name":"db","name":"q","parent.id":"a1"}}]})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::newrelic);
    auto trace = nra::read_trace(json);
    REQUIRE(trace.ok());
    REQUIRE(trace->spans.size() == 2);
    CHECK(trace->spans[1].parent_id == "a1");
    CHECK(trace->spans[0].duration_us == 12'500);
}

}  // namespace formats_newrelic_test
