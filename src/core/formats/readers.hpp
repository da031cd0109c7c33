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

// New Relic rows: NRQL results as they are, and inside a NerdGraph answer.
inline constexpr FormatWords kNewRelicRowWords{
    "New Relic NRQL results",
    "trace.id or traceId",
    "id or guid",
    "parent.id or parentId",
    "timestamp"};
inline constexpr FormatWords kNewRelicResponseWords{
    "New Relic NerdGraph response",
    kNewRelicRowWords.trace_id,
    kNewRelicRowWords.span_id,
    kNewRelicRowWords.parent_id,
    kNewRelicRowWords.start};

void read_newrelic(dom::element root, ReadContext& ctx);
// The plain New Relic row documents read without a DOM from `padded` (kJsonPadding readable bytes
// follow it); false, with `ctx` to be thrown away, for any document it leaves to the DOM readers
// (newrelic_on_demand.cpp).
bool read_newrelic_on_demand(
    simdjson::ondemand::parser& parser, std::string_view padded, ReadContext& ctx
);
// One of New Relic's pages (a JSON array of Span rows) read into `ctx` the same way, without
// format detection: the rows it held, or nullopt when it is not valid JSON (or not an array).
std::optional<std::size_t> read_newrelic_page(
    simdjson::ondemand::parser& parser, std::string_view padded, ReadContext& ctx
);
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
