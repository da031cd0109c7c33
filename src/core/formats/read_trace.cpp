// Entry points of the trace readers: skip a byte-order mark, parse once with simdjson (JSON Lines
// line by line), detect the shape, dispatch to the format's reader, then keep one trace when the
// document holds several (and name the others in a note).
#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "document_parser.hpp"
#include "nra/formats/formats.hpp"
#include "readers.hpp"

namespace nra {
namespace {

using formats::dom::element;

constexpr std::string_view kUnrecognized =
    "unrecognized trace format: expected a New Relic NerdGraph/NRQL result or Trace API payload, "
    "OTLP JSON (also JSON Lines and Grafana Tempo answers), Zipkin v2 or Jaeger JSON";

std::string_view kind_of(element e) {
    switch (e.type()) {
        case formats::dom::element_type::ARRAY:
            return "an array";
        case formats::dom::element_type::OBJECT:
            return "an object";
        case formats::dom::element_type::STRING:
            return "a string";
        case formats::dom::element_type::BOOL:
            return "a boolean";
        case formats::dom::element_type::NULL_VALUE:
            return "null";
        default:
            return "a number";
    }
}

// What an unrecognized document is: its type, an object's first keys, an array's first item.
std::string describe_shape(element root) {
    formats::dom::object obj;
    formats::dom::array arr;
    std::string out = std::string("the input is ") + std::string(kind_of(root));
    if (root.get_object().get(obj) == simdjson::SUCCESS) {
        constexpr int kKeys = 5;
        int shown = 0;
        for (auto [key, value] : obj) {
            out += shown == 0 ? " with keys " : ", ";
            if (++shown > kKeys) {
                out += "...";
                break;
            }
            out += "\"" + formats::one_line(key, 40) + "\"";
        }
    } else if (element first; root.get_array().get(arr) == simdjson::SUCCESS &&
                              arr.at(0).get(first) == simdjson::SUCCESS) {
        out += " whose first item is " + std::string(kind_of(first));
    }
    return out;
}

std::string empty_document(element root) {
    formats::dom::array arr;
    formats::dom::object obj;
    if (root.get_array().get(arr) == simdjson::SUCCESS && arr.begin() == arr.end()) {
        return "no spans found: the input is an empty array";
    }
    if (root.get_object().get(obj) == simdjson::SUCCESS && obj.begin() == obj.end()) {
        return "no spans found: the input is an empty object";
    }
    return {};
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

std::string spans_text(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " span" : " spans");
}

// "aa (3 spans), bb (1 span)": the traces other than `chosen`, largest first, the first few.
std::string other_traces(const formats::ReadContext::TraceCounts& counts, std::string_view chosen) {
    constexpr std::size_t kListed = 5;
    formats::ReadContext::TraceCounts others;
    std::copy_if(counts.begin(), counts.end(), std::back_inserter(others), [&](const auto& c) {
        return c.first != chosen;
    });
    std::stable_sort(others.begin(), others.end(), [](const auto& a, const auto& b) {
        return a.second > b.second;
    });
    std::string out;
    for (std::size_t i = 0; i < std::min(kListed, others.size()); ++i) {
        out += (i == 0 ? "" : ", ") + formats::one_line(others[i].first, 64) + " (" +
               spans_text(others[i].second) + ")";
    }
    if (others.size() > kListed) {
        out += " and " + std::to_string(others.size() - kListed) + " more";
    }
    return out;
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
                (counts.size() == 1 ? " other trace: " : " other traces: ") +
                other_traces(counts, wanted) + ")"
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
            formats::one_line(best->first, 64) + " (" + spans_text(best->second) + "); other " +
            (counts.size() == 2 ? "trace: " : "traces: ") + other_traces(counts, best->first)
        );
    }
    keep_trace(trace, best->first, single);
    return std::nullopt;
}

// Reads `json` into `trace` through `ctx` (emplaced here); the error when it cannot. Plain New
// Relic rows go through the On-Demand reader; any other document, or one it gives up on, through
// the DOM: format detection, then the format's reader, from scratch.
std::optional<std::string> read_document(
    std::string_view json,
    bool padded,
    const ReadOptions& options,
    Trace& trace,
    std::optional<formats::ReadContext>& ctx
) {
    formats::DocumentParser parser;
    const std::string_view prepared = parser.prepare(json, padded);
    ctx.emplace(trace, options);
    if (options.on_demand && formats::read_newrelic_on_demand(parser.on_demand(), prepared, *ctx)) {
        return std::nullopt;
    }
    trace = Trace{};
    ctx.emplace(trace, options);
    element root;
    if (auto code = parser.parse_prepared(prepared, root); code != simdjson::SUCCESS) {
        if (!formats::json_lines_format(json)) {
            return formats::parse_error(code, json);
        }
        formats::read_otlp_lines(json, *ctx);
        return std::nullopt;
    }
    const TraceFormat format = formats::detect_shape(root);
    if (format == TraceFormat::unknown) {
        std::string empty = empty_document(root);
        return !empty.empty() ? empty
                              : std::string(kUnrecognized) + " (" + describe_shape(root) + ")";
    }
    dispatch(format, root, *ctx);
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
    json = formats::without_bom(json);
    if (formats::is_blank(json)) {
        return TraceFormat::unknown;
    }
    formats::DocumentParser parser;
    element root;
    if (parser.parse(json, root) != simdjson::SUCCESS) {
        return formats::json_lines_format(json) == TraceFormat::otlp ? TraceFormat::otlp
                                                                     : TraceFormat::unknown;
    }
    return formats::detect_shape(root);
}

namespace {

// The end of every read: the first fatal problem, the tally's warnings, no spans, which trace.
Result<Trace> finish(Trace& trace, formats::ReadContext& ctx, std::string_view trace_id) {
    if (ctx.error()) {
        return make_error(*ctx.error());
    }
    ctx.flush_tally();
    if (trace.spans.empty()) {
        return make_error(ctx.no_spans_message());
    }
    if (auto error = select_trace(trace, ctx, trace_id)) {
        return *error;
    }
    return std::move(trace);
}

Result<Trace> read_one(
    std::string_view json, bool padded, const ReadOptions& options, std::string_view trace_id
) {
    json = formats::without_bom(json);  // files and stdin alike
    if (formats::is_blank(json)) {
        return make_error("no spans found: the input is empty");
    }
    Trace trace;
    std::optional<formats::ReadContext> ctx;
    if (auto error = read_document(json, padded, options, trace, ctx)) {
        return make_error(std::move(*error));
    }
    return finish(trace, *ctx, trace_id);
}

Result<std::vector<Trace>> read_all(
    std::string_view json, bool padded, const ReadOptions& options
) {
    json = formats::without_bom(json);
    if (formats::is_blank(json)) return make_error("no spans found: the input is empty");
    Trace all;
    std::optional<formats::ReadContext> ctx;
    if (auto error = read_document(json, padded, options, all, ctx)) {
        return make_error(std::move(*error));
    }
    if (ctx->error()) return make_error(*ctx->error());
    ctx->flush_tally();
    if (all.spans.empty()) return make_error(ctx->no_spans_message());
    const auto& counts = ctx->trace_counts();
    std::vector<Trace> out;
    if (counts.size() <= 1) {
        if (auto error = select_trace(all, *ctx, {})) return *error;
        out.push_back(std::move(all));
        return out;
    }
    // One pass: each span to its trace; spans without a trace id go with the largest trace.
    std::map<std::string_view, std::size_t> slot;
    const auto largest =
        std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
        });
    for (const auto& [id, n] : counts) {
        slot.emplace(all.intern(id), out.size());
        Trace t;
        t.trace_id = id;
        t.pool = all.pool;
        t.warnings = all.warnings;
        t.spans.reserve(n);
        out.push_back(std::move(t));
    }
    const std::size_t fallback = slot.at(all.intern(largest->first));
    for (auto& span : all.spans) {
        const auto it = slot.find(span.trace_id);
        Trace& into = out[it == slot.end() ? fallback : it->second];
        span.trace_id = into.intern(into.trace_id);
        into.spans.push_back(span);
    }
    return out;
}

}  // namespace

PaddedJson::PaddedJson(std::string text) : text_(std::move(text)) {
    const std::size_t size = text_.size();
    text_.reserve(size + kJsonPadding);  // no-op when the capacity already has the spare bytes
    text_.resize(size + kJsonPadding);   // zeroed, so that nothing reads uninitialized memory
    text_.resize(size);                  // the capacity (and the zeroes) stay
}

Result<Trace> read_trace(
    std::string_view json, const ReadOptions& options, std::string_view trace_id
) {
    return read_one(json, false, options, trace_id);
}

Result<Trace> read_trace(
    const PaddedJson& json, const ReadOptions& options, std::string_view trace_id
) {
    return read_one(json.view(), true, options, trace_id);
}

Result<std::vector<Trace>> read_traces(std::string_view json, const ReadOptions& options) {
    return read_all(json, false, options);
}

Result<std::vector<Trace>> read_traces(const PaddedJson& json, const ReadOptions& options) {
    return read_all(json.view(), true, options);
}

Result<Trace> read_row_pages(std::vector<std::string> pages, const ReadOptions& options) {
    Trace trace;
    formats::ReadContext ctx(trace, options);
    ctx.set_words(formats::kNewRelicRowWords);
    std::size_t rows = 0;
    for (auto& page : pages) {
        const PaddedJson text(std::move(page));  // freed at the end of this iteration
        formats::DocumentParser parser;
        const std::string_view prepared = parser.prepare(text.view(), true);
        const auto read = formats::read_newrelic_page(parser.on_demand(), prepared, ctx);
        if (!read) {
            element root;
            const auto code = parser.parse_prepared(prepared, root);
            return make_error(
                code != simdjson::SUCCESS ? formats::parse_error(code, text.view())
                                          : "a page of New Relic's answer is not a list of rows"
            );
        }
        rows += *read;
        if (ctx.error()) break;
    }
    if (rows == 0) {
        return make_error("no spans found: the input is an empty array");  // as read_trace says
    }
    return finish(trace, ctx, {});
}

}  // namespace nra
