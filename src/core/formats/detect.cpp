#include <algorithm>
#include <array>

#include "readers.hpp"

namespace nra::formats {
namespace {

bool has(dom::object obj, std::string_view key) {
    dom::element unused;
    return member(obj, key, unused);
}

// Zipkin v2 spans and New Relic agent rows share traceId/parentId/timestamp/duration. New Relic
// names win (a Zipkin span never has dotted top-level keys), then Zipkin's own keys, then the
// timestamp's magnitude.
TraceFormat detect_row(dom::object row) {
    static constexpr std::array<std::string_view, 7> kZipkinKeys{
        "localEndpoint", "remoteEndpoint", "annotations", "tags", "shared", "debug", "kind"};
    static constexpr std::array<std::string_view, 4> kNewRelicKeys{
        "guid", "appName", "category", "attributes"};
    bool zipkin = false;
    for (const auto field : row) {
        // A plain variable, not a structured binding: clang < 16 cannot capture those.
        const std::string_view key = field.key;
        const auto is = [key](std::string_view k) { return key == k; };
        if (key.find('.') != std::string_view::npos ||
            std::any_of(kNewRelicKeys.begin(), kNewRelicKeys.end(), is)) {
            return TraceFormat::newrelic;  // NRQL rows use dotted attribute names as keys
        }
        zipkin = zipkin || std::any_of(kZipkinKeys.begin(), kZipkinKeys.end(), is);
    }
    if (zipkin) {
        return TraceFormat::zipkin;
    }
    // Zipkin timestamps are epoch microseconds (~1e15), New Relic's milliseconds (~1e12).
    std::int64_t ts = 0;
    return row.at_key("timestamp").get_int64().get(ts) == simdjson::SUCCESS &&
                   ts > 100'000'000'000'000
               ? TraceFormat::zipkin
               : TraceFormat::newrelic;
}

// Jaeger spans spell their ids traceID/spanID; Zipkin's are traceId/id, New Relic's id/guid.
bool is_jaeger_span(dom::object obj) {
    return has(obj, "spanID") || (has(obj, "traceID") && has(obj, "operationName"));
}

TraceFormat detect_array(dom::array arr) {
    dom::element first;
    if (arr.at(0).get(first) != simdjson::SUCCESS) {
        return TraceFormat::unknown;
    }
    if (first.is_array()) {
        return TraceFormat::zipkin;  // an array of traces, each an array of spans
    }
    dom::object obj;
    if (first.get_object().get(obj) != simdjson::SUCCESS) {
        return TraceFormat::unknown;
    }
    if (is_jaeger_span(obj)) {
        return TraceFormat::jaeger;  // bare spans, as Jaeger's anonymizer writes them
    }
    if (has(obj, "spans")) {
        // Jaeger traces have processes; New Relic Trace API batches have common/spans only.
        return has(obj, "processes") || has(obj, "traceID") ? TraceFormat::jaeger
                                                            : TraceFormat::newrelic;
    }
    return detect_row(obj);
}

// {"spans":[…]} alone: a Jaeger trace (spans carry `spanID`) or one New Relic Trace API batch
// without `common` (spans carry `id`).
TraceFormat spans_batch_format(dom::object obj) {
    if (has(obj, "common")) return TraceFormat::newrelic;
    if (has(obj, "processes") || has(obj, "traceID")) return TraceFormat::jaeger;
    dom::array spans;
    dom::object first;
    if (obj.at_key("spans").get_array().get(spans) == simdjson::SUCCESS &&
        spans.at(0).get_object().get(first) == simdjson::SUCCESS && !has(first, "spanID") &&
        (has(first, "id") || has(first, "trace.id"))) {
        return TraceFormat::newrelic;
    }
    return TraceFormat::jaeger;
}

// Jaeger's query API reports failures as {"data": null, "errors": [{"code", "msg"}]}; NerdGraph
// errors carry a `message`.
bool is_jaeger_error(dom::object obj) {
    dom::object first;
    return obj.at_key("errors").at(0).get_object().get(first) == simdjson::SUCCESS &&
           has(first, "msg");
}

// {"data": …}: Jaeger's query API (a list of traces, or one trace in newer versions) or a
// NerdGraph response ({"data":{"actor":…}}, or a null data with errors).
TraceFormat data_format(dom::object obj, dom::element data) {
    dom::object trace;
    if (data.is_array() ||
        (data.get_object().get(trace) == simdjson::SUCCESS &&
         (has(trace, "spans") || has(trace, "traceID") || has(trace, "processes"))) ||
        is_jaeger_error(obj)) {
        return TraceFormat::jaeger;
    }
    if (data.is_object() || has(obj, "errors")) {
        return TraceFormat::newrelic;
    }
    return TraceFormat::unknown;
}

TraceFormat detect_object(dom::object obj) {
    if (is_otlp_request(obj)) {
        return TraceFormat::otlp;  // also Grafana Tempo's answers
    }
    dom::element data;
    if (member(obj, "data", data)) {
        return data_format(obj, data);
    }
    if (has(obj, "results") || has(obj, "errors")) {
        return TraceFormat::newrelic;
    }
    if (has(obj, "spans")) {
        return spans_batch_format(obj);
    }
    if (has(obj, "traceId") && has(obj, "id")) {
        return TraceFormat::zipkin;  // one Zipkin span on its own
    }
    return TraceFormat::unknown;
}

}  // namespace

TraceFormat detect_shape(dom::element root) {
    dom::object obj;
    if (root.get_object().get(obj) == simdjson::SUCCESS) {
        return detect_object(obj);
    }
    dom::array arr;
    if (root.get_array().get(arr) == simdjson::SUCCESS) {
        return detect_array(arr);
    }
    return TraceFormat::unknown;
}

std::string_view format_title(TraceFormat format) {
    switch (format) {
        case TraceFormat::newrelic:
            return "New Relic JSON";
        case TraceFormat::otlp:
            return "OTLP JSON";
        case TraceFormat::zipkin:
            return "Zipkin v2 JSON";
        case TraceFormat::jaeger:
            return "Jaeger JSON";
        case TraceFormat::unknown:
            break;
    }
    return "an unrecognized format";
}

}  // namespace nra::formats
