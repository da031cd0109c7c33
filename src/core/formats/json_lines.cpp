// OTLP JSON Lines: the OpenTelemetry Collector's file exporter writes one ExportTraceServiceRequest
// per line, each a complete OTLP JSON document; a trace may span lines and a line may hold
// several traces. Each line is parsed on its own (the previous line's elements are gone by then:
// spans keep only interned text).
#include <optional>
#include <string>

#include "document_parser.hpp"
#include "readers.hpp"

namespace nra::formats {
namespace {

constexpr FormatWords kOtlpLinesWords{
    "OTLP JSON Lines",
    "traceId",
    "spanId",
    "parentSpanId",
    "startTimeUnixNano and endTimeUnixNano"};

// The next line of `text` (without its '\n'), removed from `text`.
std::string_view next_line(std::string_view& text) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    return line;
}

// Why a parsed line is not an OTLP request, in words.
std::string not_otlp(std::size_t number, dom::element root) {
    const TraceFormat format = detect_shape(root);
    const std::string what = format == TraceFormat::unknown || format == TraceFormat::otlp
                                 ? std::string("has no \"resourceSpans\"")
                                 : "is " + std::string(format_title(format));
    return "JSON Lines: line " + std::to_string(number) + " " + what +
           "; only OTLP trace requests (the OpenTelemetry Collector's file exporter) are read one "
           "per line";
}

void read_line(std::string_view line, std::size_t number, ReadContext& ctx) {
    DocumentParser parser;
    dom::element root;
    if (auto code = parser.parse(line, root); code != simdjson::SUCCESS) {
        ctx.fail(
            "OTLP JSON Lines: line " + std::to_string(number) + ": " + parse_error(code, line)
        );
        return;
    }
    dom::object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS || !is_otlp_request(obj)) {
        ctx.fail(not_otlp(number, root));
        return;
    }
    ctx.set_line(number);
    read_otlp_request(root, ctx);
}

}  // namespace

std::optional<TraceFormat> json_lines_format(std::string_view json) {
    std::string_view line;
    while (!json.empty() && is_blank(line)) {
        line = next_line(json);
    }
    DocumentParser parser;
    dom::element root;
    if (is_blank(line) || is_blank(json) || parser.parse(line, root) != simdjson::SUCCESS ||
        !root.is_object()) {
        return std::nullopt;  // one line, or not a JSON object per line
    }
    return detect_shape(root);
}

void read_otlp_lines(std::string_view json, ReadContext& ctx) {
    ctx.set_words(kOtlpLinesWords);
    for (std::size_t number = 1; !json.empty() && !ctx.error(); ++number) {
        const std::string_view line = next_line(json);
        if (!is_blank(line)) {
            read_line(line, number, ctx);
        }
    }
}

}  // namespace nra::formats
