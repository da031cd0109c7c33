// Trace file readers: detect the format from the content and normalize it into a Trace.
// Accepted: NerdGraph response or bare NRQL `results` array of Span rows (agent or OpenTelemetry
// attribute names), Trace API payloads, OTLP JSON (also JSON Lines, one request per line, and
// Grafana Tempo's API answers), Zipkin v2 JSON, Jaeger JSON (UI export, API response, bare span
// arrays). A leading UTF-8 byte-order mark is skipped.
// Never throws on bad input: a Result with a one-line reason instead, naming the format tried and
// the first problem found in it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/result.hpp"
#include "nra/span.hpp"

namespace nra {

enum class TraceFormat { unknown, newrelic, otlp, zipkin, jaeger };

std::string_view to_string(TraceFormat format);

struct ReadOptions {
    std::size_t max_spans = 2'000'000;  // refuse larger inputs with a clear error
};

// Parses and normalizes. `trace_id` selects one trace when the document holds several (empty:
// the one with the most spans, and a warning names the others). Warnings (rows skipped, fields
// repaired) land in Trace::warnings.
Result<Trace> read_trace(
    std::string_view json, const ReadOptions& options = {}, std::string_view trace_id = {}
);

// Every trace of the document, each as read_trace would return it when asked for its id (spans
// without a trace id go with the largest trace). One trace: a list of one.
Result<std::vector<Trace>> read_traces(std::string_view json, const ReadOptions& options = {});

// Format detection only (cheap look at the document's shape).
TraceFormat detect_format(std::string_view json);

}  // namespace nra
