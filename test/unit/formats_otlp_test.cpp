// OTLP JSON reader: every public fixture in test/fixtures/otlp loads with the expected counts and
// field values; base64 ids, string enums, exception events, resource attributes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_otlp_test {

namespace {

using nra::test::attr;
using nra::test::load;
using nra::test::parse;

// One resourceSpans entry with a service name and the given span objects.
std::string otlp(const std::string& spans, const std::string& scope_key = "scopeSpans") {
    return R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"shop"}},
      {"key":"host.name","value":{"stringValue":"node-7"}},
      {"key":"telemetry.sdk.language","value":{"stringValue":"go"}}]},
      ")" + scope_key +
           R"(":[{"scope":{"name":"lib"},"spans":[)" + spans + "]}]}]}";
}

// A server span with base64 ids and string enums, a failed DB call with an exception event, and a
// successful producer whose exception event must not turn into an error message.
const std::string kMixedSpans = R"(
      {"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"oaKjpKWmp6g=","name":"GET /cart",
       "kind":"SPAN_KIND_SERVER","startTimeUnixNano":1700000000000000000,
       "endTimeUnixNano":"1700000000250000000",
       "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
       "attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},
                     {"key":"http.response.status_code","value":{"intValue":"503"}},
                     {"key":"retry","value":{"boolValue":true}},
                     {"key":"ratio","value":{"doubleValue":0.5}},
                     {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"}]}}},
                     {"key":"code.lineno","value":{"intValue":88}}],
       "links":[{"traceId":"AQIDBAUGBwgJCgsMDQ4PEA==","spanId":"AAAAAAAAAAE="}]},
      {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000002",
       "parentSpanId":"oaKjpKWmp6g=","name":"SELECT","kind":3,
       "startTimeUnixNano":"1700000000010000000","endTimeUnixNano":"1700000000020000000",
       "status":{"code":2},
       "attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},
                     {"key":"service.name","value":{"stringValue":"shop-db-client"}}],
       "events":[{"name":"exception","attributes":[
         {"key":"exception.type","value":{"stringValue":"PSQLException"}},
         {"key":"exception.message","value":{"stringValue":"deadlock detected"}}]}]},
      {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000003",
       "parentSpanId":"a1a2a3a4a5a6a7a8","name":"ok","kind":"SPAN_KIND_PRODUCER",
       "startTimeUnixNano":"1700000000030000000","endTimeUnixNano":"1700000000030000000",
       "status":{"code":"STATUS_CODE_OK","message":""},
       "events":[{"name":"exception","attributes":[
         {"key":"exception.message","value":{"stringValue":"handled"}}]}]}
    )";

}  // namespace

TEST_CASE("the canonical OTLP example: upper-case hex ids, integer kind, numeric nanos") {
    const std::string json = nra::test::read_fixture("otlp/opentelemetry-proto-example.json");
    CHECK(nra::detect_format(json) == nra::TraceFormat::otlp);
    const nra::Trace trace = parse(json);
    REQUIRE(trace.spans.size() == 1);
    const auto& span = trace.spans[0];
    CHECK(trace.trace_id == "5b8efff798038103d269b633813fc60c");
    CHECK(span.trace_id == "5b8efff798038103d269b633813fc60c");
    CHECK(span.span_id == "eee19b7ec3c1b174");
    CHECK(span.parent_id == "eee19b7ec3c1b173");
    CHECK(span.name == "I'm a server span");
    CHECK(span.kind == nra::SpanKind::server);
    CHECK(span.service == "my.service");
    CHECK(span.start_us == 1544712660000000);
    CHECK(span.duration_us == 1000000);
    CHECK_FALSE(span.error);
    CHECK(attr(span, "my.span.attr") == "some value");
    CHECK(trace.warnings.empty());
}

TEST_CASE("otlp2jaeger fixtures: string nanos, duplicate spans, no service, several resources") {
    const nra::Trace in = load("otlp/otlp2jaeger-in.json");
    REQUIRE(in.spans.size() == 2);  // the same span twice: both kept for the assembler
    for (const auto& span : in.spans) {
        CHECK(span.span_id == "e127af99e3b3e074");
        CHECK(span.parent_id == "909541b92cf05311");
        CHECK(span.service == "telemetrygen");
        CHECK(span.kind == nra::SpanKind::server);
        CHECK(span.start_us == 1706678909209712);
        CHECK(span.duration_us == 123);
        CHECK(span.peer_host == "telemetrygen-client");
        CHECK(attr(span, "net.peer.ip") == "1.2.3.4");
    }

    const nra::Trace no_service = load("otlp/otlp2jaeger-in-error.json");
    REQUIRE(no_service.spans.size() == 1);
    CHECK(no_service.spans[0].service.empty());
    CHECK_FALSE(no_service.spans[0].error);
    CHECK(no_service.trace_id == "83a9efd15c1c98a977e0711cc93ee28b");

    const nra::Trace combined = load("otlp/otlp2jaeger-multi-in-combined.json");
    REQUIRE(combined.spans.size() == 4);
    CHECK(combined.trace_id == "c620759e5d60fafb8ee0922b30e06bc6");
    const auto& root = combined.spans[3];
    CHECK(root.span_id == "eff3153be6b1fb93");
    CHECK(root.parent_id.empty());  // "parentSpanId": "" is a root
    CHECK(root.name == "main");
    CHECK(root.kind == nra::SpanKind::internal);
    CHECK(root.start_us == 1711138246940000);
    CHECK(root.duration_us == 176321);  // end 1711138247116321958 ns truncates to µs
    CHECK(combined.spans[0].duration_us == 46460);
    CHECK(std::all_of(combined.spans.begin(), combined.spans.end(), [](const auto& s) {
        return s.service == "example-trace";
    }));
}

TEST_CASE("OTLP: base64 ids decode to hex, status, kinds and enums as strings") {
    // 16 bytes 0x01..0x10 and 8 bytes 0xa1..0xa8 in base64.
    const nra::Trace trace = parse(otlp(kMixedSpans));
    REQUIRE(trace.spans.size() == 3);
    CHECK(trace.warnings.empty());
    const auto& server = trace.spans[0];
    CHECK(server.trace_id == "0102030405060708090a0b0c0d0e0f10");
    CHECK(server.span_id == "a1a2a3a4a5a6a7a8");
    CHECK(server.parent_id.empty());  // links are not parents
    CHECK(server.kind == nra::SpanKind::server);
    CHECK(server.start_us == 1700000000000000);
    CHECK(server.duration_us == 250000);
    CHECK(server.error);
    CHECK(server.error_message == "boom");
    CHECK(server.http_method == "GET");
    CHECK(server.http_status == 503);
    CHECK(server.code_lineno == 88);
    CHECK(server.service == "shop");
    CHECK(server.host == "node-7");
    CHECK(attr(server, "retry") == "true");
    CHECK(attr(server, "ratio") == "0.5");
    CHECK(attr(server, "tags") == "[a, 2]");
    CHECK(attr(server, "telemetry.sdk.language") == "<absent>");  // resource leftovers stay out

    const auto& db = trace.spans[1];
    CHECK(db.parent_id == "a1a2a3a4a5a6a7a8");
    CHECK(db.kind == nra::SpanKind::client);
    CHECK(db.error);
    CHECK(db.error_message == "deadlock detected");
    CHECK(db.error_class == "PSQLException");
    CHECK(db.category == nra::SpanCategory::datastore);
    CHECK(db.service == "shop-db-client");  // the span's own attribute beats the resource

    const auto& ok = trace.spans[2];
    CHECK(ok.kind == nra::SpanKind::producer);
    CHECK_FALSE(ok.error);
    CHECK(ok.error_message.empty());  // exception events matter only on failed spans
    CHECK(ok.duration_us == 0);
}

TEST_CASE("OTLP: legacy instrumentationLibrarySpans and bad spans") {
    const nra::Trace trace = parse(otlp(
        R"(
      {"traceId":"aa","spanId":"01","name":"a","startTimeUnixNano":"2000","endTimeUnixNano":"5000"},
      {"traceId":"aa","name":"no id","startTimeUnixNano":"2000","endTimeUnixNano":"5000"},
      {"traceId":"aa","spanId":{"bytes":1},"startTimeUnixNano":"2000","endTimeUnixNano":"5000"},
      {"traceId":"aa","spanId":"02","startTimeUnixNano":"later","endTimeUnixNano":"5000"},
      {"traceId":"aa","spanId":"03","startTimeUnixNano":"9000","endTimeUnixNano":"5000"},
      "not a span"
    )",
        "instrumentationLibrarySpans"
    ));
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.spans[0].start_us == 2);
    CHECK(trace.spans[0].duration_us == 3);
    CHECK(trace.spans[1].span_id == "03");
    CHECK(trace.spans[1].duration_us == 0);
    CHECK(
        trace.warnings ==
        std::vector<std::string>{
            "1 span without an id was skipped",
            "1 span with a malformed id was skipped",
            "1 span without a valid start time was skipped",
            "1 entry that is not a span object was skipped",
            "1 span with a negative duration was kept with duration 0",
        }
    );
}

// Regression: the reader's previous-row cache kept a view of an array value's joined text, which
// lives in a temporary buffer (heap-use-after-free under ASan when the next row compared with it).
TEST_CASE("OTLP array values alternating with equal strings read safely", "[formats]") {
    auto trace = nra::read_trace(nra::test::read_fixture("otlp/array-values-alternating.json"));
    REQUIRE(trace.ok());
    REQUIRE(trace->spans.size() > 2);
    CHECK(
        trace->spans[1].http_url == "[https://example.com/a/very/long/path/to/exceed/sso/buffer]"
    );
    CHECK(trace->spans[2].http_url == trace->spans[1].http_url);
}

}  // namespace formats_otlp_test
