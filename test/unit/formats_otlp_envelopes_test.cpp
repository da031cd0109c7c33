// OTLP underneath other envelopes: JSON Lines as the OpenTelemetry Collector's file exporter
// writes them (one request per line, traces across and within lines), and Grafana Tempo's API
// answers ({"batches"} in v1, {"trace": {"resourceSpans"}} in v2) with base64 or hex ids.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "nra/formats/formats.hpp"
#include "support/trace_reading.hpp"

namespace formats_otlp_envelopes_test {

namespace {

using nra::test::parse;

std::string span(const std::string& trace, const std::string& id, const std::string& parent) {
    return R"({"traceId":")" + trace + R"(","spanId":")" + id + R"(","parentSpanId":")" + parent +
           R"(","name":"op-)" + id +
           R"(","kind":2,"startTimeUnixNano":"1700000000000000000",)"
           R"("endTimeUnixNano":"1700000000005000000"})";
}

// One ExportTraceServiceRequest on one line, for `service` with the given spans.
std::string request(const std::string& service, const std::string& spans) {
    return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":)"
           R"({"stringValue":")" +
           service + R"("}}]},"scopeSpans":[{"scope":{"name":"lib"},"spans":[)" + spans + "]}]}]}";
}

const std::string kA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string kB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string kC = "cccccccccccccccccccccccccccccccc";

// Trace A over lines 1 and 3 (3 spans), B within line 1 (1 span), C on line 4 (2 spans); line 2
// is blank.
std::string collector_file(const std::string& eol = "\n") {
    return request(
               "checkout",
               span(kA, "a000000000000001", "") + "," + span(kB, "b000000000000001", "") + "," +
                   span(kA, "a000000000000002", "a000000000000001")
           ) +
           eol + eol + request("payments", span(kA, "a000000000000003", "a000000000000002")) + eol +
           request(
               "search",
               span(kC, "c000000000000001", "") + "," +
                   span(kC, "c000000000000002", "c000000000000001")
           ) +
           eol;
}

std::string error_of(const std::string& json) {
    auto result = nra::read_trace(json);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().find('\n') == std::string::npos);
    return result.error();
}

}  // namespace

TEST_CASE("OTLP JSON Lines: the largest trace across lines, the others named in a note") {
    const std::string json = collector_file();
    CHECK(nra::detect_format(json) == nra::TraceFormat::otlp);
    const nra::Trace trace = parse(json);
    CHECK(trace.trace_id == kA);
    REQUIRE(trace.spans.size() == 3);
    CHECK(trace.spans[0].service == "checkout");
    CHECK(trace.spans[2].service == "payments");
    CHECK(trace.spans[2].parent_id == "a000000000000002");
    CHECK(
        trace.warnings ==
        std::vector<std::string>{
            "file holds 3 traces; analysing " + kA + " (3 spans); other traces: " + kC +
            " (2 spans), " + kB + " (1 span)"}
    );
}

TEST_CASE("OTLP JSON Lines: a trace id picks one trace, CRLF line ends are fine") {
    const nra::Trace c = parse(collector_file("\r\n"), kC);
    CHECK(c.trace_id == kC);
    REQUIRE(c.spans.size() == 2);
    CHECK(c.spans[0].service == "search");
    CHECK(c.warnings.empty());
    auto missing = nra::read_trace(collector_file(), {}, "dd");
    REQUIRE_FALSE(missing.ok());
    CHECK(
        missing.error() == "trace dd is not in the file (it holds 3 other traces: " + kA +
                               " (3 spans), " + kC + " (2 spans), " + kB + " (1 span))"
    );
}

TEST_CASE("OTLP JSON Lines: errors name the line") {
    const std::string good = request("s", span(kA, "a000000000000001", ""));
    CHECK(
        error_of(good + "\n" + good + "\n{\"resourceSpans\":[\n") ==
        "OTLP JSON Lines: line 3: invalid JSON: The JSON document has an improper structure: "
        "missing or superfluous commas, braces, missing keys, etc."
    );
    CHECK(
        error_of(good + "\n\n[1,2]\n") ==
        "JSON Lines: line 3 has no \"resourceSpans\"; only OTLP trace requests (the OpenTelemetry "
        "Collector's file exporter) are read one per line"
    );
    const std::string zipkin = R"([{"traceId":"a","id":"1","timestamp":1,"duration":1}])";
    const std::string zipkin_object = R"({"foo":1})";
    CHECK(
        error_of(zipkin_object + "\n" + good + "\n") ==
        "JSON Lines: line 1 has no \"resourceSpans\"; only OTLP trace requests (the OpenTelemetry "
        "Collector's file exporter) are read one per line"
    );
    CHECK(nra::detect_format(zipkin_object + "\n" + good) == nra::TraceFormat::unknown);
    CHECK(error_of(zipkin + "\n" + zipkin).rfind("invalid JSON: ", 0) == 0);  // not an object
    const std::string no_ids = request("s", R"({"traceId":")" + kA + R"(","name":"x"})");
    CHECK(
        error_of(no_ids + "\n" + no_ids) ==
        "OTLP JSON Lines: no spans found: span 1 (line 1) has no spanId (2 spans without an id "
        "were skipped)"
    );
}

TEST_CASE("Tempo v1 API answer: batches with base64 ids and legacy library spans") {
    const std::string json = R"({"batches":[
      {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
       "instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"otel"},"spans":[
         {"traceId":"AAAAAAAAAABhd2B2LeQ0kQ==","spanId":"YXdgdi3kNJE=","name":"HTTP GET",
          "kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1700000000000000000",
          "endTimeUnixNano":"1700000000100000000","status":{}}]}]},
      {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"db"}}]},
       "scopeSpans":[{"scope":{"name":"sql"},"spans":[
         {"traceId":"AAAAAAAAAABhd2B2LeQ0kQ==","spanId":"ERERERERERE=",
          "parentSpanId":"YXdgdi3kNJE=","name":"SELECT","kind":"SPAN_KIND_CLIENT",
          "startTimeUnixNano":"1700000000010000000","endTimeUnixNano":"1700000000090000000",
          "status":{"code":"STATUS_CODE_ERROR","message":"timeout"}}]}]}]})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::otlp);
    const nra::Trace trace = parse(json);
    CHECK(trace.trace_id == "0000000000000000617760762de43491");
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.spans[0].span_id == "617760762de43491");
    CHECK(trace.spans[0].service == "frontend");
    CHECK(trace.spans[0].kind == nra::SpanKind::server);
    CHECK(trace.spans[1].span_id == "1111111111111111");
    CHECK(trace.spans[1].parent_id == "617760762de43491");
    CHECK(trace.spans[1].service == "db");
    CHECK(trace.spans[1].error);
    CHECK(trace.spans[1].error_message == "timeout");
    CHECK(trace.spans[1].duration_us == 80'000);
    // The id may be asked for in hex, whatever the answer's encoding.
    CHECK(parse(json, "0000000000000000617760762DE43491").spans.size() == 2);
}

TEST_CASE("Tempo v2 API answer: {\"trace\": {\"resourceSpans\"}} with hex ids") {
    const std::string json = R"({"trace":)" + request("api", span(kA, "a000000000000001", "")) +
                             R"(,"status":"complete"})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::otlp);
    const nra::Trace trace = parse(json);
    CHECK(trace.trace_id == kA);
    REQUIRE(trace.spans.size() == 1);
    CHECK(trace.spans[0].service == "api");
    CHECK(trace.spans[0].name == "op-a000000000000001");

    const std::string v1_style = R"({"trace":{"batches":[]}})";
    CHECK(nra::detect_format(v1_style) == nra::TraceFormat::otlp);
    CHECK(error_of(v1_style) == "Tempo trace (OTLP JSON): no spans found: \"batches\" is empty");
    CHECK(
        error_of(R"({"batches":[{"resource":{},"scopeSpans":[{"spans":[]}]}]})") ==
        "Tempo trace (OTLP JSON): no spans found: no entry of \"batches\" holds scopeSpans with "
        "spans"
    );
}

}  // namespace formats_otlp_envelopes_test
