// Bad input never crashes, hangs or throws: truncated and mutated documents, wrong types, absurd
// numbers, deep nesting, empty and unknown shapes, the span limit. Errors are one line.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"
#include "support/trace_reading.hpp"

namespace formats_bad_input_test {

namespace {

using nra::test::parse;

constexpr std::string_view kUnrecognized =
    "unrecognized trace format: expected a New Relic NerdGraph/NRQL result or Trace API payload, "
    "OTLP JSON (also JSON Lines and Grafana Tempo answers), Zipkin v2 or Jaeger JSON";

std::string error_of(const std::string& json, const nra::ReadOptions& options = {}) {
    auto result = nra::read_trace(json, options);
    INFO(json.substr(0, 200));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().find('\n') == std::string::npos);
    return result.error();
}

// Either outcome is fine; what matters is no crash and a one-line error.
void read_anything(const std::string& json) {
    auto result = nra::read_trace(json);
    if (!result.ok()) {
        CHECK_FALSE(result.error().empty());
        CHECK(result.error().find('\n') == std::string::npos);
    }
    (void)nra::detect_format(json);
}

const std::vector<std::string> kFixtures = {
    "newrelic/agent-rows.json",
    "newrelic/otel-rows.json",
    "newrelic/trace-api.json",
    "otlp/otlp2jaeger-multi-in-combined.json",
    "otlp/opentelemetry-proto-example.json",
    "zipkin/yelp.json",
    "jaeger/testTrace.json",
    "jaeger/traceWithOverlappingChildren.json",
};

}  // namespace

TEST_CASE("empty documents: no spans found") {
    CHECK(error_of("") == "no spans found: the input is empty");
    CHECK(error_of(" \n\t ") == "no spans found: the input is empty");
    CHECK(error_of("[]") == "no spans found: the input is an empty array");
    CHECK(error_of("{}") == "no spans found: the input is an empty object");
    CHECK(error_of(R"({"data":[]})") == "Jaeger JSON: no spans found: \"data\" holds no traces");
    CHECK(
        error_of(R"({"resourceSpans":[]})") ==
        "OTLP JSON: no spans found: \"resourceSpans\" is empty"
    );
    CHECK(
        error_of(R"({"data":{"actor":{"account":{"nrql":{"results":[]}}}}})") ==
        "New Relic NerdGraph response: no spans found: \"results\" is empty"
    );
    CHECK(
        error_of(R"({"data":{"actor":{"account":null}}})") ==
        "New Relic NerdGraph response: no spans found: it holds no \"results\" (neither "
        "data.actor.account.nrql.results nor data.actor.nrql.results)"
    );
    CHECK(
        error_of(R"([[],[]])") == "Zipkin v2 JSON: no spans found: every trace in the list is empty"
    );
    CHECK(
        error_of(R"({"traceID":"a","spans":[],"processes":{}})") ==
        "Jaeger JSON: no spans found: the trace's \"spans\" list is empty"
    );
}

TEST_CASE("unknown shapes are refused with the list of accepted formats and what they are") {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"foo":1})", R"(an object with keys "foo")"},
        {"42", "a number"},
        {R"("text")", "a string"},
        {"[1,2]", "an array whose first item is a number"},
        {"null", "null"},
        {"true", "a boolean"},
        {R"({"data":"x"})", R"(an object with keys "data")"},
        {R"({"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7})",
         R"(an object with keys "a", "b", "c", "d", "e", ...)"},
    };
    for (const auto& [json, what] : cases) {
        INFO(json);
        CHECK(nra::detect_format(json) == nra::TraceFormat::unknown);
        CHECK(error_of(json) == std::string(kUnrecognized) + " (the input is " + what + ")");
    }
}

TEST_CASE("a UTF-8 byte-order mark is skipped, whatever the format") {
    const std::string bom = "\xEF\xBB\xBF";
    for (const auto& file : kFixtures) {
        INFO(file);
        const std::string json = nra::test::read_fixture(file);
        CHECK(nra::detect_format(bom + json) == nra::detect_format(json));
        auto plain = nra::read_trace(json);
        auto marked = nra::read_trace(bom + json);
        REQUIRE(marked.ok());
        CHECK(marked->spans.size() == plain->spans.size());
        CHECK(marked->trace_id == plain->trace_id);
    }
    const std::string line =
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"aa","spanId":"bb",)"
        R"("startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]})";
    CHECK(nra::detect_format(bom + line + "\n" + line) == nra::TraceFormat::otlp);
    CHECK(parse(bom + line + "\n" + line).spans.size() == 2);
    CHECK(error_of(bom) == "no spans found: the input is empty");
    CHECK(error_of(bom + " \n") == "no spans found: the input is empty");
    CHECK(error_of(bom + bom + "[]").rfind("invalid JSON: ", 0) == 0);  // only one is skipped
}

TEST_CASE("invalid JSON is a one-line parse error") {
    for (const char* json :
         {"{",
          R"({"results":[{"id":"1",)",
          R"([{"traceId":"a" "id":"b"}])",
          "[NaN]",
          R"({"results":[{"timestamp":1e400}]})",
          R"([{"timestamp":99999999999999999999999}])",
          "\xff\xfe[]",
          R"(["\xc3\x28"])"}) {
        INFO(json);
        const std::string message = error_of(json);
        CHECK(message.rfind("invalid JSON: ", 0) == 0);
    }
    CHECK(
        error_of(std::string("\xff\xfe[\0]\0", 6)) ==
        "invalid JSON: the input is UTF-16 text (it starts with a UTF-16 byte-order mark); save it "
        "as UTF-8"
    );
}

TEST_CASE("a 100k-deep nested array is refused, not a stack overflow") {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    CHECK(error_of(deep) == "invalid JSON: nested more than 1024 levels deep");
    const std::string deep_attr =
        R"({"results":[{"id":"1","timestamp":1,"duration.ms":1,"x":)" + deep + "}]}";
    CHECK(error_of(deep_attr) == "invalid JSON: nested more than 1024 levels deep");
    // Nesting within the limit is read; the attribute becomes its minified text.
    const std::string nested = std::string(500, '[') + std::string(500, ']');
    const nra::Trace trace =
        parse(R"({"results":[{"id":"1","timestamp":1,"duration.ms":1,"x":)" + nested + "}]}");
    REQUIRE(trace.spans.size() == 1);
    REQUIRE(trace.spans[0].attributes.size() == 1);
    CHECK(trace.spans[0].attributes[0].second == nested);
}

TEST_CASE("truncated fixtures never crash") {
    for (const auto& file : kFixtures) {
        const std::string json = nra::test::read_fixture(file);
        INFO(file);
        for (std::size_t cut = 0; cut < json.size(); cut += 1 + json.size() / 97) {
            read_anything(json.substr(0, cut));
        }
    }
}

// Deterministic xorshift, so a failing mutation can be replayed.
struct Rng {
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    std::uint64_t next() {
        state ^= state << 13U;
        state ^= state >> 7U;
        state ^= state << 17U;
        return state;
    }
};

// One random edit: a byte flip, a short deletion, or a value swapped for another JSON type.
void mutate(std::string& json, Rng& rng) {
    static const std::string kValues[] = {"null", "{}", "[]", "-1", "1e308", "\"x\"", "true", "0"};
    const std::size_t at = rng.next() % json.size();
    switch (rng.next() % 3) {
        case 0:
            json[at] = static_cast<char>(rng.next() % 128);
            break;
        case 1:
            json.erase(at, 1 + rng.next() % 8);
            break;
        default: {
            const std::size_t colon = json.find(':', at);
            const std::size_t end = json.find_first_of(",}", colon);
            if (colon != std::string::npos && end != std::string::npos) {
                json.replace(colon + 1, end - colon - 1, kValues[rng.next() % std::size(kValues)]);
            }
        }
    }
    if (json.empty()) {
        json = "{";
    }
}

TEST_CASE("mutated fixtures never crash") {
    Rng rng;
    for (const auto& file : kFixtures) {
        const std::string original = nra::test::read_fixture(file);
        INFO(file);
        for (int round = 0; round < 150; ++round) {
            std::string json = original;
            for (int edits = 0; edits < 3; ++edits) {
                mutate(json, rng);
            }
            read_anything(json);
        }
    }
}

TEST_CASE("wrong value types: numbers convert, objects skip the row or drop the field") {
    const nra::Trace trace = parse(R"({"results":[
      {"trace.id":12345,"id":678,"timestamp":1000,"duration.ms":5,"name":"numeric ids"},
      {"trace.id":"12345","id":{"nested":true},"timestamp":1000,"duration.ms":5},
      {"trace.id":"12345","id":["x"],"timestamp":1000,"duration.ms":5},
      {"trace.id":"12345","id":"ok","parent.id":"678","timestamp":1000,"duration.ms":5,
       "name":{"not":"a string"},"http.statusCode":"teapot","service.name":["a"],
       "span.kind":7,"category":3},
      "a string row", 17, null
    ]})");
    REQUIRE(trace.spans.size() == 2);
    CHECK(trace.trace_id == "12345");
    CHECK(trace.spans[0].span_id == "678");
    CHECK(trace.spans[0].name == "numeric ids");
    CHECK(trace.spans[1].span_id == "ok");
    CHECK(trace.spans[1].name.empty());
    CHECK(trace.spans[1].service.empty());
    CHECK(trace.spans[1].http_status == 0);
    CHECK(trace.spans[1].kind == nra::SpanKind::unspecified);
    CHECK(
        trace.warnings ==
        std::vector<std::string>{
            "2 spans with a malformed id were skipped",
            "3 entries that are not span objects were skipped",
            "3 attributes of an unexpected type were ignored",
        }
    );
}

TEST_CASE("absurd times: NaN strings, infinities and huge values skip the span") {
    const nra::Trace trace = parse(R"([
      {"trace.id":"t","id":"1","timestamp":"NaN","duration.ms":1},
      {"trace.id":"t","id":"2","timestamp":"inf","duration.ms":1},
      {"trace.id":"t","id":"3","timestamp":1e300,"duration.ms":1},
      {"trace.id":"t","id":"4","timestamp":-9223372036854775808,"duration.ms":1},
      {"trace.id":"t","id":"5","timestamp":18446744073709551615,"duration.ms":1},
      {"trace.id":"t","id":"6","timestamp":true,"duration.ms":1},
      {"trace.id":"t","id":"7","timestamp":1000,"duration.ms":1e300},
      {"trace.id":"t","id":"8","timestamp":1000,"duration.ms":-3},
      {"trace.id":"t","id":"9","timestamp":1000,"duration":"abc"}
    ])");
    REQUIRE(trace.spans.size() == 3);
    CHECK(trace.spans[0].span_id == "7");
    CHECK(trace.spans[0].duration_us == 0);
    CHECK(trace.spans[1].duration_us == 0);
    CHECK(trace.spans[2].duration_us == 0);
    CHECK(
        trace.warnings ==
        std::vector<std::string>{
            "6 spans without a valid start time were skipped",
            "2 spans without a valid duration were kept with duration 0",
            "1 span with a negative duration was kept with duration 0",
        }
    );
    for (const auto& span : trace.spans) {
        CHECK(span.end_us() >= span.start_us);
    }
}

TEST_CASE("spans without an id give one aggregated warning") {
    const nra::Trace trace = parse(R"({"results":[
      {"trace.id":"t","timestamp":1,"duration.ms":1},
      {"trace.id":"t","id":"","timestamp":1,"duration.ms":1},
      {"trace.id":"t","id":null,"timestamp":1,"duration.ms":1},
      {"trace.id":"t","id":"a","timestamp":1,"duration.ms":1}
    ]})");
    REQUIRE(trace.spans.size() == 1);
    CHECK(trace.warnings == std::vector<std::string>{"3 spans without an id were skipped"});

    CHECK(
        error_of(R"({"results":[{"trace.id":"t","timestamp":1,"duration.ms":1}]})") ==
        "New Relic NRQL results: no spans found: span 1 has no id or guid"
    );
}

TEST_CASE("more spans than max_spans is refused, naming the limit") {
    std::string json = "[";
    for (int i = 0; i < 20; ++i) {
        json += (i ? "," : "") + std::string(R"({"trace.id":"t","id":")") + std::to_string(i) +
                R"(","timestamp":1,"duration.ms":1})";
    }
    json += "]";
    nra::ReadOptions options;
    options.max_spans = 10;
    CHECK(
        error_of(json, options) ==
        "New Relic NRQL results: the trace has more than 10 spans, the limit for one analysis"
    );
    options.max_spans = 20;
    CHECK(nra::read_trace(json, options).ok());
    const std::pair<const char*, const char*> files[] = {
        {"zipkin/yelp.json", "Zipkin v2 JSON"},
        {"jaeger/testTrace.json", "Jaeger JSON"},
        {"otlp/otlp2jaeger-multi-in-combined.json", "OTLP JSON"},
        {"newrelic/trace-api.json", "New Relic Trace API payload"},
    };
    for (const auto& [file, format] : files) {
        INFO(file);
        options.max_spans = 2;
        CHECK(
            error_of(nra::test::read_fixture(file), options) ==
            std::string(format) + ": the trace has more than 2 spans, the limit for one analysis"
        );
    }
}

TEST_CASE("to_string names every format") {
    CHECK(nra::to_string(nra::TraceFormat::newrelic) == "newrelic");
    CHECK(nra::to_string(nra::TraceFormat::otlp) == "otlp");
    CHECK(nra::to_string(nra::TraceFormat::zipkin) == "zipkin");
    CHECK(nra::to_string(nra::TraceFormat::jaeger) == "jaeger");
    CHECK(nra::to_string(nra::TraceFormat::unknown) == "unknown");
}

constexpr int kMany = 20'000;

TEST_CASE("pathological documents stay linear: 20k traces in one Zipkin file") {
    std::string zipkin = "[";
    for (int i = 0; i < kMany; ++i) {
        zipkin += (i ? "," : "") + std::string(R"({"traceId":"t)") + std::to_string(i) +
                  R"(","id":"1","timestamp":1,"duration":1,"kind":"SERVER"})";
    }
    zipkin += "]";
    const nra::Trace trace = parse(zipkin);
    CHECK(trace.spans.size() == 1);
    CHECK(trace.trace_id == "t0");
    CHECK(
        trace.warnings ==
        std::vector<std::string>{
            "file holds 20000 traces; analysing t0 (1 span); other traces: t1 (1 span), t2 (1 "
            "span), t3 (1 span), t4 (1 span), t5 (1 span) and 19994 more"}
    );
}

TEST_CASE("pathological documents stay linear: 20k Jaeger processes") {
    std::string jaeger = R"({"traceID":"t","processes":{)";
    for (int i = 0; i < kMany; ++i) {
        jaeger += (i ? "," : "") + std::string(R"("p)") + std::to_string(i) +
                  R"(":{"serviceName":"s)" + std::to_string(i) + R"(","tags":[]})";
    }
    jaeger += R"(},"spans":[)";
    for (int i = 0; i < kMany; ++i) {
        jaeger += (i ? "," : "") + std::string(R"({"spanID":"s)") + std::to_string(i) +
                  R"(","startTime":1,"duration":1,"processID":"p)" + std::to_string(kMany - 1 - i) +
                  R"("})";
    }
    jaeger += "]}";
    const nra::Trace trace = parse(jaeger);
    REQUIRE(trace.spans.size() == static_cast<std::size_t>(kMany));
    CHECK(trace.spans[0].service == "s19999");
    CHECK(trace.spans[kMany - 1].service == "s0");
}

TEST_CASE("pathological documents stay linear: 40k OTLP resource attributes") {
    std::string otlp = R"({"resourceSpans":[{"resource":{"attributes":[)";
    for (int i = 0; i < kMany; ++i) {
        otlp +=
            (i ? "," : "") + std::string(R"({"key":"k)") + std::to_string(i % 50) +
            R"(","value":{"stringValue":"v"}},{"key":"service.name","value":{"stringValue":"s)" +
            std::to_string(i) + R"("}})";
    }
    otlp += R"(]},"scopeSpans":[{"spans":[)";
    for (int i = 0; i < kMany; ++i) {
        otlp += (i ? "," : "") + std::string(R"({"traceId":"aa","spanId":")") + std::to_string(i) +
                R"(","startTimeUnixNano":"1000","endTimeUnixNano":"2000"})";
    }
    otlp += "]}]}]}";
    const nra::Trace trace = parse(otlp);
    REQUIRE(trace.spans.size() == static_cast<std::size_t>(kMany));
    CHECK(trace.spans[5].service == "s0");  // the first service.name wins
    CHECK(trace.spans[5].attributes.empty());
}

}  // namespace formats_bad_input_test
