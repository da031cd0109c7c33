// Entry points of the trace readers: parse once with simdjson, detect the shape, dispatch to the
// format's reader, then keep one trace when the document holds several.
#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nra/formats.hpp"
#include "readers.hpp"

namespace nra {
namespace {

using formats::dom::element;

constexpr std::string_view kUnrecognized =
    "unrecognized trace format: expected a New Relic NerdGraph/NRQL result, OTLP JSON, Zipkin v2 "
    "or Jaeger JSON";

// Parser and padded input buffer are reused per thread: allocating and first touching them costs
// as much as the parse itself. Inputs above kRetainLimit (8 MB, ~20,000 spans) get storage that is
// freed afterwards: kept, they cost ~3.3× the document for good on every CPU-pool thread of a
// server (~350 MB after one 300,000-span trace with the earlier 128 MB limit).
class DocumentParser {
public:
    simdjson::error_code parse(std::string_view json, element& root) {
        constexpr std::size_t kRetainLimit = std::size_t{8} << 20U;
        thread_local Storage cached;
        Storage* storage = &cached;
        if (json.size() > kRetainLimit) {
            fresh_ = std::make_unique<Storage>();
            storage = fresh_.get();
        }
        const std::size_t needed = json.size() + simdjson::SIMDJSON_PADDING;
        if (storage->buffer.size() < needed) {
            storage->buffer.assign(needed, '\0');
        }
        std::copy(json.begin(), json.end(), storage->buffer.begin());
        std::fill_n(
            storage->buffer.begin() + static_cast<std::ptrdiff_t>(json.size()),
            simdjson::SIMDJSON_PADDING,
            '\0'
        );
        return storage->parser.parse(storage->buffer.data(), json.size(), false).get(root);
    }

private:
    struct Storage {
        formats::dom::parser parser;
        std::vector<char> buffer;
    };
    std::unique_ptr<Storage> fresh_;
};

bool is_blank(std::string_view json) {
    return std::all_of(json.begin(), json.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string parse_error(simdjson::error_code code) {
    switch (code) {
        case simdjson::DEPTH_ERROR:
            return "invalid JSON: nested more than " + std::to_string(simdjson::DEFAULT_MAX_DEPTH) +
                   " levels deep";
        case simdjson::CAPACITY:
            return "the trace file is too large to parse";
        default:
            return "invalid JSON: " + formats::one_line(simdjson::error_message(code));
    }
}

bool is_empty_container(element root) {
    formats::dom::array arr;
    formats::dom::object obj;
    return (root.get_array().get(arr) == simdjson::SUCCESS && arr.begin() == arr.end()) ||
           (root.get_object().get(obj) == simdjson::SUCCESS && obj.begin() == obj.end());
}

void dispatch(TraceFormat format, element root, formats::ReadContext& ctx) {
    switch (format) {
        case TraceFormat::newrelic:
            formats::read_newrelic(root, ctx);
            break;
        case TraceFormat::otlp:
            formats::read_otlp(root, ctx);
            break;
        case TraceFormat::zipkin:
            formats::read_zipkin(root, ctx);
            break;
        case TraceFormat::jaeger:
            formats::read_jaeger(root, ctx);
            break;
        case TraceFormat::unknown:
            break;
    }
}

std::string lower_id(std::string_view id) {
    std::string out(id);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

// Keeps the spans of `chosen` (and spans with no trace id, which cannot belong elsewhere).
void keep_trace(Trace& trace, std::string_view chosen, bool nothing_to_change) {
    trace.trace_id = std::string(chosen);
    if (nothing_to_change) {
        return;  // the common case: nothing to drop or fill in
    }
    auto other = [&](const Span& s) { return !s.trace_id.empty() && s.trace_id != chosen; };
    trace.spans.erase(
        std::remove_if(trace.spans.begin(), trace.spans.end(), other), trace.spans.end()
    );
    for (Span& span : trace.spans) {
        span.trace_id = chosen;
    }
}

std::optional<Error> select_trace(
    Trace& trace, const formats::ReadContext& ctx, std::string_view wanted_raw
) {
    const auto& counts = ctx.trace_counts();
    const bool single = counts.size() == 1 && !ctx.has_untagged();
    if (!wanted_raw.empty()) {
        const std::string wanted = lower_id(wanted_raw);
        const bool found = std::any_of(counts.begin(), counts.end(), [&](const auto& c) {
            return c.first == wanted;
        });
        if (!found && !counts.empty()) {
            return make_error(
                "trace " + formats::one_line(wanted, 64) + " is not in the file (it holds " +
                std::to_string(counts.size()) +
                (counts.size() == 1 ? " other trace)" : " other traces)")
            );
        }
        keep_trace(trace, trace.intern(wanted), single);
        return std::nullopt;
    }
    if (counts.empty()) {
        return std::nullopt;
    }
    auto best = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
        return a.second < b.second;  // first of the largest wins: max_element keeps the first
    });
    if (counts.size() > 1) {
        trace.warnings.push_back(
            "file holds " + std::to_string(counts.size()) + " traces; analysing " +
            formats::one_line(best->first, 64)
        );
    }
    keep_trace(trace, best->first, single);
    return std::nullopt;
}

}  // namespace

std::string_view to_string(TraceFormat format) {
    switch (format) {
        case TraceFormat::newrelic:
            return "newrelic";
        case TraceFormat::otlp:
            return "otlp";
        case TraceFormat::zipkin:
            return "zipkin";
        case TraceFormat::jaeger:
            return "jaeger";
        case TraceFormat::unknown:
            break;
    }
    return "unknown";
}

TraceFormat detect_format(std::string_view json) {
    if (is_blank(json)) {
        return TraceFormat::unknown;
    }
    DocumentParser parser;
    element root;
    if (parser.parse(json, root) != simdjson::SUCCESS) {
        return TraceFormat::unknown;
    }
    return formats::detect_shape(root);
}

Result<Trace> read_trace(
    std::string_view json, const ReadOptions& options, std::string_view trace_id
) {
    if (is_blank(json)) {
        return make_error("no spans found: the input is empty");
    }
    DocumentParser parser;
    element root;
    if (auto code = parser.parse(json, root); code != simdjson::SUCCESS) {
        return make_error(parse_error(code));
    }
    const TraceFormat format = formats::detect_shape(root);
    if (format == TraceFormat::unknown) {
        return make_error(is_empty_container(root) ? "no spans found" : std::string(kUnrecognized));
    }
    Trace trace;
    formats::ReadContext ctx(trace, options);
    dispatch(format, root, ctx);
    if (ctx.error()) {
        return make_error(*ctx.error());
    }
    ctx.flush_tally();
    if (trace.spans.empty()) {
        std::string why = trace.warnings.empty() ? "" : " (" + trace.warnings.front() + ")";
        return make_error("no spans found" + why);
    }
    if (auto error = select_trace(trace, ctx, trace_id)) {
        return *error;
    }
    return trace;
}

}  // namespace nra
