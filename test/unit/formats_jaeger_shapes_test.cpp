// Jaeger JSON shapes beyond the UI export: the API's single-trace envelope {"data": trace}, bare
// span arrays (Jaeger's anonymizer), API errors, and telling Jaeger span arrays from Zipkin's.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_jaeger_shapes_test {

namespace {

using nra::test::parse;

// Two spans as the anonymizer writes them: hashed names, an inline process, no processes map.
const std::string kAnonymizedSpans = R"([
  {"traceID":"2be38093ead7a083","spanID":"7606ddfe69932d34","flags":1,
   "operationName":"a071653098f9250d",
   "references":[{"refType":"CHILD_OF","traceID":"2be38093ead7a083","spanID":"492770a15935810f"}],
   "startTime":1605223981761425,"duration":267037,
   "tags":[{"key":"span.kind","type":"string","value":"server"}],"logs":[],
   "process":{"serviceName":"16af988c443cff37","tags":[]},"warnings":null},
  {"traceID":"2be38093ead7a083","spanID":"7bd66f09ba90ea3d","flags":1,
   "operationName":"471418097747d04a",
   "references":[{"refType":"CHILD_OF","traceID":"2be38093ead7a083","spanID":"7606ddfe69932d34"}],
   "startTime":1605223981965074,"duration":32782,
   "tags":[{"key":"span.kind","type":"string","value":"client"},
           {"key":"error","type":"bool","value":"true"}],"logs":[],
   "process":{"serviceName":"3c220036602f839e","tags":[{"key":"hostname","value":"h1"}]},
   "warnings":null}
])";

const std::string kTrace = R"({"traceID":"ABC1","spans":[
    {"traceID":"abc1","spanID":"s1","operationName":"GET /","references":[],
     "startTime":1000,"duration":50,"processID":"p1","tags":[],"logs":[]},
    {"traceID":"abc1","spanID":"s2","operationName":"SELECT","startTime":1010,"duration":20,
     "references":[{"refType":"CHILD_OF","traceID":"abc1","spanID":"s1"}],"processID":"p2",
     "tags":[{"key":"db.system","type":"string","value":"mysql"}],"logs":[]}],
  "processes":{"p1":{"serviceName":"web","tags":[]},"p2":{"serviceName":"db","tags":[]}},
  "warnings":null})";

}  // namespace

TEST_CASE("Jaeger: the API's single-trace envelope {\"data\": trace} is read") {
    const std::string json = R"({"data":)" + kTrace + R"(,"total":0,"limit":0,"errors":null})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::jaeger);
    const nra::Trace trace = parse(json);
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.trace_id == "abc1");
    CHECK(trace.spans[0].service == "web");
    CHECK(trace.spans[1].service == "db");
    CHECK(trace.spans[1].parent_id == "s1");
    CHECK(trace.spans[1].db_system == "mysql");
    CHECK(trace.warnings.empty());
}

TEST_CASE("Jaeger: the API's list envelope {\"data\": [trace, …]} still reads") {
    const std::string other = R"({"traceID":"ff","spans":[{"spanID":"x","startTime":1,
        "duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"solo"}}})";
    const std::string json = R"({"data":[)" + other + "," + kTrace + "]}";
    CHECK(nra::detect_format(json) == nra::TraceFormat::jaeger);
    const nra::Trace largest = parse(json);
    CHECK(largest.trace_id == "abc1");
    CHECK(largest.spans.size() == 2);
    const nra::Trace chosen = parse(json, "FF");
    REQUIRE(chosen.spans.size() == 1);
    CHECK(chosen.spans[0].service == "solo");
}

TEST_CASE("Jaeger: a bare array of spans with inline processes (the anonymizer's output)") {
    CHECK(nra::detect_format(kAnonymizedSpans) == nra::TraceFormat::jaeger);
    const nra::Trace trace = parse(kAnonymizedSpans);
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.trace_id == "2be38093ead7a083");
    const auto& server = trace.spans[0];
    CHECK(server.span_id == "7606ddfe69932d34");
    CHECK(server.parent_id == "492770a15935810f");
    CHECK(server.name == "a071653098f9250d");
    CHECK(server.kind == nra::SpanKind::server);
    CHECK(server.service == "16af988c443cff37");
    CHECK(server.start_us == 1605223981761425);
    CHECK(server.duration_us == 267037);
    const auto& client = trace.spans[1];
    CHECK(client.kind == nra::SpanKind::client);
    CHECK(client.error);
    CHECK(client.host == "h1");
    CHECK(client.parent_id == "7606ddfe69932d34");
    CHECK(trace.warnings.empty());
}

TEST_CASE("Jaeger: bare spans naming a processID without a processes map keep it as service") {
    const std::string json = R"([
      {"traceID":"t","spanID":"a","operationName":"root","references":[],"startTime":5,
       "duration":10,"tags":[],"logs":[],"processID":"p1"},
      {"traceID":"t","spanID":"b","operationName":"child","startTime":6,"duration":2,
       "references":[{"refType":"CHILD_OF","traceID":"t","spanID":"a"}],"tags":[],"logs":[],
       "processID":"p2"},
      {"traceID":"t","spanID":"c","operationName":"no process","startTime":7,"duration":1,
       "references":[],"tags":[],"logs":[]}
    ])";
    CHECK(nra::detect_format(json) == nra::TraceFormat::jaeger);
    const nra::Trace trace = parse(json);
    REQUIRE(trace.spans.size() == 3);
    CHECK(trace.spans[0].service == "p1");
    CHECK(trace.spans[1].service == "p2");
    CHECK(trace.spans[1].parent_id == "a");
    CHECK(trace.spans[2].service.empty());
    CHECK(
        trace.warnings ==
        std::vector<std::string>{"2 spans naming a processID the trace does not describe were "
                                 "kept, with the processID standing in for the service name"}
    );
}

TEST_CASE("detection tells Zipkin v2 span arrays from Jaeger span arrays") {
    const std::string zipkin = R"([{"traceId":"a","id":"1","name":"get","timestamp":1000000,
        "duration":5,"localEndpoint":{"serviceName":"z"},"tags":{"k":"v"}}])";
    const std::string jaeger = R"([{"traceID":"a","spanID":"1","operationName":"get",
        "startTime":1000000,"duration":5,"tags":[{"key":"k","value":"v"}],"logs":[],
        "references":[],"processID":"p1"}])";
    const std::string jaeger_minimal = R"([{"traceID":"a","operationName":"get",
        "startTime":1,"duration":5,"spanID":"1"}])";
    CHECK(nra::detect_format(zipkin) == nra::TraceFormat::zipkin);
    CHECK(nra::detect_format(jaeger) == nra::TraceFormat::jaeger);
    CHECK(nra::detect_format(jaeger_minimal) == nra::TraceFormat::jaeger);
    CHECK(parse(zipkin).spans[0].service == "z");
    CHECK(parse(jaeger).spans[0].service == "p1");
}

TEST_CASE("Jaeger: an API error answer is reported as such") {
    const std::string json =
        R"({"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]})";
    CHECK(nra::detect_format(json) == nra::TraceFormat::jaeger);
    auto result = nra::read_trace(json);
    REQUIRE_FALSE(result.ok());
    CHECK(
        result.error() == "Jaeger JSON: the Jaeger API answered with an error 404: trace not found"
    );
}

TEST_CASE("Jaeger: errors name the format, the span and the field") {
    auto no_id = nra::read_trace(R"({"data":{"traceID":"t","spans":[
        {"spanID":"a","startTime":1,"duration":1,"processID":"p"},
        {"spanID":"b","startTime":2},
        {"operationName":"x","startTime":3,"duration":1}],"processes":{"p":{"serviceName":"s"}}}})"
    );
    REQUIRE(no_id.ok());  // two good spans; the third is skipped with a warning
    CHECK(
        no_id->warnings ==
        std::vector<std::string>{
            "1 span without an id was skipped",
            "1 span without a valid duration was kept with duration 0",
        }
    );

    auto none = nra::read_trace(R"([{"traceID":"t","operationName":"x","startTime":1},
        {"traceID":"t","operationName":"y","spanID":"b"},
        {"traceID":"t","operationName":"z","spanID":{"hi":1},"startTime":1}])");
    REQUIRE_FALSE(none.ok());
    CHECK(
        none.error() ==
        "Jaeger JSON: no spans found: span 1 has no spanID (1 span without an id was skipped; "
        "1 span with a malformed id was skipped; 1 span without a valid start time was skipped)"
    );
    auto malformed = nra::read_trace(R"({"traceID":"t","spans":[
        {"spanID":"a","startTime":1,"references":[{"refType":"CHILD_OF","spanID":[1]}]}]})");
    REQUIRE_FALSE(malformed.ok());
    CHECK(
        malformed.error() ==
        "Jaeger JSON: no spans found: span 1 has an unreadable spanID of a reference (neither a "
        "string nor an integer)"
    );
    auto empty = nra::read_trace(R"({"data":{"traceID":"t","spans":[],"processes":{}}})");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error() == "Jaeger JSON: no spans found: the trace's \"spans\" list is empty");
}

}  // namespace formats_jaeger_shapes_test
