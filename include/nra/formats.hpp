// Trace file readers: detect the format from the content and normalize it into a Trace.
// Accepted: NerdGraph response or bare NRQL `results` array of Span rows (agent or OpenTelemetry
// attribute names), OTLP JSON, Zipkin v2 JSON, Jaeger JSON (UI export or API response).
// Never throws on bad input: a Result with a one-line reason instead.
#pragma once

#include <string>
#include <string_view>

#include "nra/result.hpp"
#include "nra/span.hpp"

namespace nra {

enum class TraceFormat { unknown, newrelic, otlp, zipkin, jaeger };

std::string_view to_string(TraceFormat format);

struct ReadOptions {
    std::size_t max_spans = 2'000'000;  // refuse larger inputs with a clear error
};

// Parses and normalizes. `trace_id` selects one trace when the document holds several (empty:
// the first/most common one). Warnings (rows skipped, fields repaired) land in Trace::warnings.
Result<Trace> read_trace(
    std::string_view json, const ReadOptions& options = {}, std::string_view trace_id = {}
);

// Format detection only (cheap look at the document's shape).
TraceFormat detect_format(std::string_view json);

}  // namespace nra
