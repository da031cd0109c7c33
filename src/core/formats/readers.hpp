// Private: one reader per input format. Each walks its document shape, feeds spans through a
// SpanBuilder into the ReadContext and reports fatal problems with ctx.fail().
#pragma once

#include <optional>
#include <string_view>

#include "json_util.hpp"
#include "nra/formats/formats.hpp"
#include "span_builder.hpp"

namespace nra::formats {

// Which format a parsed document has (shape only: keys of the top level and of the first span).
TraceFormat detect_shape(dom::element root);
// The format's name in messages ("Zipkin v2 JSON").
std::string_view format_title(TraceFormat format);

void read_newrelic(dom::element root, ReadContext& ctx);
void read_otlp(dom::element root, ReadContext& ctx);
void read_zipkin(dom::element root, ReadContext& ctx);
void read_jaeger(dom::element root, ReadContext& ctx);

// An OTLP request: `resourceSpans`, or a Tempo answer (`batches`, `trace`).
bool is_otlp_request(dom::object obj);
// The spans of one OTLP request, leaving the format's name to the caller (JSON Lines).
void read_otlp_request(dom::element root, ReadContext& ctx);

// JSON Lines (one JSON value per line), for a `json` that is not one JSON document: the format of
// its first non-blank line when that line alone is an object and more lines follow.
std::optional<TraceFormat> json_lines_format(std::string_view json);
// OTLP JSON Lines, as the OpenTelemetry Collector's file exporter writes them: one
// ExportTraceServiceRequest per line, blank lines allowed.
void read_otlp_lines(std::string_view json, ReadContext& ctx);

}  // namespace nra::formats
