// New Relic: NRQL `SELECT * FROM Span` results (NerdGraph envelope, cross-account envelope or bare
// rows) and Trace API payloads. This is the hot path: one pass over each row's keys, no copies.
#include <string>

#include "readers.hpp"

namespace nra::formats {
namespace {

// First error message of a NerdGraph response, or empty when there is none.
std::string first_error(dom::object response) {
    dom::array errors;
    if (!member_array(response, "errors", errors)) {
        return {};
    }
    for (dom::element e : errors) {
        dom::object obj;
        std::string_view message;
        if (e.get_object().get(obj) == simdjson::SUCCESS &&
            member_string(obj, "message", message)) {
            return one_line(message);
        }
        std::string_view text;
        if (e.get_string().get(text) == simdjson::SUCCESS) {
            return one_line(text);
        }
        return "unknown error";
    }
    return {};
}

// The `results` array inside data.actor.account.nrql, data.actor.nrql or at the top.
bool find_results(dom::object response, dom::array& results) {
    if (member_array(response, "results", results)) {
        return true;
    }
    dom::object actor;
    if (response.at_pointer("/data/actor").get_object().get(actor) != simdjson::SUCCESS) {
        return false;
    }
    return actor.at_pointer("/account/nrql/results").get_array().get(results) ==
               simdjson::SUCCESS ||
           actor.at_pointer("/nrql/results").get_array().get(results) == simdjson::SUCCESS;
}

constexpr FormatWords kTraceApiWords{
    "New Relic Trace API payload", "trace.id", "id", "parent.id", "timestamp"};

void read_rows(dom::array rows, ReadContext& ctx) {
    if (rows.begin() == rows.end()) {
        ctx.note_empty("\"results\" is empty");
    }
    ctx.reserve(rows.size());
    SpanBuilder builder(ctx, Dialect::newrelic);
    KeySequence keys(Dialect::newrelic);
    for (dom::element row : rows) {
        dom::object obj;
        if (row.get_object().get(obj) != simdjson::SUCCESS) {
            ctx.drop(Drop::not_object);
            continue;
        }
        std::size_t position = 0;
        for (auto [key, value] : obj) {
            builder.apply(keys.at(position++, key), to_scalar(value));
        }
        if (!builder.finish()) {
            return;
        }
    }
}

// Trace API span: top-level id/trace.id/timestamp plus an `attributes` object; the batch's
// common attributes (when `common` is set) fill what the span leaves open.
bool read_api_span(dom::object span, const dom::object* common, SpanBuilder& builder) {
    for (auto [key, value] : span) {
        dom::object attributes;
        if (key == "attributes" && value.get_object().get(attributes) == simdjson::SUCCESS) {
            for (auto [k, v] : attributes) {
                builder.apply(k, to_scalar(v));
            }
        } else {
            builder.apply(key, to_scalar(value));
        }
    }
    if (common != nullptr) {
        for (auto [key, value] : *common) {
            builder.apply(key, to_scalar(value), Source::shared);
        }
    }
    return builder.finish();
}

void read_trace_api_batch(dom::object batch, SpanBuilder& builder, ReadContext& ctx) {
    dom::object common;
    const bool has_common =
        batch.at_pointer("/common/attributes").get_object().get(common) == simdjson::SUCCESS;
    dom::array spans;
    if (!member_array(batch, "spans", spans)) {
        ctx.skip_container("a batch has no \"spans\" list");
        return;
    }
    if (spans.begin() == spans.end()) {
        ctx.note_empty("the \"spans\" list is empty");
    }
    for (dom::element e : spans) {
        dom::object span;
        if (e.get_object().get(span) != simdjson::SUCCESS) {
            ctx.drop(Drop::not_object);
        } else if (!read_api_span(span, has_common ? &common : nullptr, builder)) {
            return;
        }
    }
}

// Trace API payload: an array of {common, spans} batches (a single batch object is accepted).
void read_trace_api(dom::element root, ReadContext& ctx) {
    ctx.set_words(kTraceApiWords);
    SpanBuilder builder(ctx, Dialect::newrelic);
    dom::object single;
    if (root.get_object().get(single) == simdjson::SUCCESS) {
        read_trace_api_batch(single, builder, ctx);
        return;
    }
    dom::array batches;
    if (root.get_array().get(batches) != simdjson::SUCCESS) {
        return;
    }
    for (dom::element e : batches) {
        dom::object batch;
        if (e.get_object().get(batch) != simdjson::SUCCESS) {
            ctx.skip_container("a batch is not an object");
            continue;
        }
        read_trace_api_batch(batch, builder, ctx);
        if (ctx.error()) {
            return;
        }
    }
}

bool is_trace_api(dom::element root) {
    dom::object first;
    dom::array arr;
    if (root.get_array().get(arr) == simdjson::SUCCESS) {
        dom::element e;
        if (arr.at(0).get(e) != simdjson::SUCCESS ||
            e.get_object().get(first) != simdjson::SUCCESS) {
            return false;
        }
    } else if (root.get_object().get(first) != simdjson::SUCCESS) {
        return false;
    }
    dom::array spans;
    return member_array(first, "spans", spans);
}

void read_response(dom::object response, ReadContext& ctx) {
    const bool envelope = response.at_key("results").error() != simdjson::SUCCESS;
    ctx.set_words(envelope ? kNewRelicResponseWords : kNewRelicRowWords);
    const std::string error = first_error(response);
    dom::array rows;
    if (!find_results(response, rows)) {
        ctx.fail(
            error.empty() ? std::string(kNewRelicResponseWords.name) +
                                ": no spans found: it holds no \"results\" (neither "
                                "data.actor.account.nrql.results nor data.actor.nrql.results)"
                          : "New Relic returned an error: " + error
        );
        return;
    }
    if (!error.empty()) {
        ctx.warn("New Relic reported an error: " + error);
        ctx.note_empty("\"results\" is empty; New Relic reported an error: " + error);
    }
    read_rows(rows, ctx);
}

}  // namespace

void read_newrelic(dom::element root, ReadContext& ctx) {
    if (is_trace_api(root)) {
        read_trace_api(root, ctx);
        return;
    }
    dom::array rows;
    if (root.get_array().get(rows) == simdjson::SUCCESS) {
        ctx.set_words(kNewRelicRowWords);
        read_rows(rows, ctx);
        return;
    }
    dom::object response;
    if (root.get_object().get(response) == simdjson::SUCCESS) {
        read_response(response, ctx);
    }
}

}  // namespace nra::formats
