// Trace file readers: detect the format from the content and normalize it into a Trace.
// Accepted: NerdGraph response or bare NRQL `results` array of Span rows (agent or OpenTelemetry
// attribute names), Trace API payloads, OTLP JSON (also JSON Lines, one request per line, and
// Grafana Tempo's API answers), Zipkin v2 JSON, Jaeger JSON (UI export, API response, bare span
// arrays). A leading UTF-8 byte-order mark is skipped.
// Never throws on bad input: a Result with a one-line reason instead, naming the format tried and
// the first problem found in it.
#pragma once

#include <cstddef>
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
    // Plain New Relic rows through simdjson's On-Demand reader (no DOM). false: every document
    // through the DOM readers (the tests compare both on every fixture).
    bool on_demand = true;
};

// Spare bytes after a document that let the JSON parser read it where it lies (it reads ahead).
inline constexpr std::size_t kJsonPadding = 64;

// A document whose buffer has kJsonPadding spare bytes after its end, so that the readers parse it
// in place: a 100k-span file is ~40 MB, and copying it first costs time and that much memory.
// Files and New Relic's joined pages are read into one (the zeroed spare bytes cost no copy when
// the string's capacity already has them).
class PaddedJson {
public:
    explicit PaddedJson(std::string text);
    std::string_view view() const { return text_; }

private:
    std::string text_;
};

// Parses and normalizes. `trace_id` selects one trace when the document holds several (empty:
// the one with the most spans, and a warning names the others). Warnings (rows skipped, fields
// repaired) land in Trace::warnings.
Result<Trace> read_trace(
    std::string_view json, const ReadOptions& options = {}, std::string_view trace_id = {}
);

Result<Trace> read_trace(
    const PaddedJson& json, const ReadOptions& options = {}, std::string_view trace_id = {}
);

// Every trace of the document, each as read_trace would return it when asked for its id (spans
// without a trace id go with the largest trace). One trace: a list of one.
Result<std::vector<Trace>> read_traces(std::string_view json, const ReadOptions& options = {});
Result<std::vector<Trace>> read_traces(const PaddedJson& json, const ReadOptions& options = {});

// New Relic's pages of one trace (each a JSON array of Span rows, NerdGraph's `results`), read one
// after the other, each freed once read, so that the text of all pages is never held twice (a
// 300k-span trace's pages are ~300 MB): the Trace that read_trace would return for the pages joined
// into one array.
Result<Trace> read_row_pages(std::vector<std::string> pages, const ReadOptions& options = {});

// Format detection only (cheap look at the document's shape).
TraceFormat detect_format(std::string_view json);

}  // namespace nra
