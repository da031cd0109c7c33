// OTLP JSON (the protobuf JSON mapping): resourceSpans → scopeSpans (or the legacy
// instrumentationLibrarySpans) → spans, attributes as {key, value: AnyValue}. Grafana Tempo's API
// answers are the same underneath: {"batches": […]} (v1) and {"trace": {"resourceSpans": […]}}
// (v2), ids in base64.
#include <deque>
#include <string>
#include <vector>

#include "readers.hpp"

namespace nra::formats {
namespace {

constexpr std::size_t kTraceIdBytes = 16;
constexpr std::size_t kSpanIdBytes = 8;

// The value inside a one-member AnyValue object ({"stringValue": "x"} → "x"), or the value itself.
dom::element unwrap(dom::element e, std::string_view& type) {
    dom::object obj;
    if (e.get_object().get(obj) == simdjson::SUCCESS) {
        for (auto [key, inner] : obj) {
            type = key;
            return inner;
        }
    }
    type = {};
    return e;
}

// Text of an arrayValue: scalars joined as "[a, b]"; nested values minified.
std::string_view array_text(dom::element array_value, std::string& buf) {
    dom::array values;
    buf.assign(1, '[');  // not `buf = "["`: GCC 12 -O3 reports a bogus -Wrestrict on it
    if (array_value.at_key("values").get_array().get(values) == simdjson::SUCCESS) {
        std::string item_buf;
        for (dom::element v : values) {
            std::string_view type;
            if (buf.size() > 1) {
                buf.append(", ");
            }
            buf += scalar_text(to_scalar(unwrap(v, type)), item_buf);
        }
    }
    buf.push_back(']');
    return buf;
}

// Unwraps an AnyValue. `buf` backs the text of array values.
Scalar any_value(dom::element e, std::string& buf) {
    std::string_view type;
    dom::element inner = unwrap(e, type);
    if (type == "arrayValue" && inner.is_object()) {
        return text_scalar(array_text(inner, buf));
    }
    return to_scalar(inner);  // stringValue, intValue (string or number), doubleValue, boolValue…
}

std::vector<KeyedScalar> read_attributes(dom::object owner, std::deque<std::string>& store) {
    std::vector<KeyedScalar> out;
    dom::array attributes;
    if (!member_array(owner, "attributes", attributes)) {
        return out;
    }
    for (dom::element e : attributes) {
        dom::object kv;
        std::string_view key;
        dom::element value;
        if (e.get_object().get(kv) == simdjson::SUCCESS && member_string(kv, "key", key) &&
            member(kv, "value", value)) {
            store.emplace_back();
            out.emplace_back(key, any_value(value, store.back()));
        }
    }
    return out;
}

void apply_attributes(dom::object owner, SpanBuilder& builder, std::string& buf) {
    dom::array attributes;
    if (!member_array(owner, "attributes", attributes)) {
        return;
    }
    for (dom::element e : attributes) {
        dom::object kv;
        std::string_view key;
        dom::element value;
        if (e.get_object().get(kv) == simdjson::SUCCESS && member_string(kv, "key", key) &&
            member(kv, "value", value)) {
            builder.apply(key, any_value(value, buf));
        }
    }
}

// Reads an id: hex (any case) or base64. A number is printed; any other type drops the span.
void read_id(
    dom::object span,
    std::string_view key,
    std::size_t bytes,
    Field field,
    SpanBuilder& builder,
    std::string& buf
) {
    dom::element e;
    if (!member(span, key, e)) {
        return;
    }
    const Scalar v = to_scalar(e);
    std::string_view id;
    if (v.type == Scalar::Type::string) {
        id = otlp_id_text(v.text, bytes, buf);
    } else if (!id_text(v, buf, id)) {
        if (v.type != Scalar::Type::null) {
            builder.mark_malformed(field);
        }
        return;
    }
    builder.set_text(field, id);
}

void read_otlp_times(dom::object span, SpanBuilder& builder) {
    dom::element start;
    dom::element end;
    std::int64_t start_us = 0;
    std::int64_t end_us = 0;
    if (member(span, "startTimeUnixNano", start) && member(span, "endTimeUnixNano", end) &&
        to_micros(to_scalar(start), TimeUnit::nanoseconds, start_us) &&
        to_micros(to_scalar(end), TimeUnit::nanoseconds, end_us)) {
        builder.set_start_us(start_us);
        builder.set_duration_us(end_us - start_us);
    }
}

void read_status(dom::object span, SpanBuilder& builder) {
    dom::object status;
    if (!member_object(span, "status", status)) {
        return;
    }
    dom::element code;
    if (member(status, "code", code)) {
        const Scalar c = to_scalar(code);
        if ((c.type == Scalar::Type::integer && c.i == 2) ||
            (c.type == Scalar::Type::string && iequals(c.text, "STATUS_CODE_ERROR"))) {
            builder.set_error();
        }
    }
    std::string_view message;
    if (member_string(status, "message", message) && !message.empty()) {
        builder.set_text(Field::error_message, message);
    }
}

// `exception` events carry the message and type of a failed span.
void read_events(dom::object span, SpanBuilder& builder, std::string& buf) {
    dom::array events;
    if (!builder.is_error() || !member_array(span, "events", events)) {
        return;
    }
    for (dom::element e : events) {
        dom::object event;
        std::string_view name;
        if (e.get_object().get(event) != simdjson::SUCCESS || !member_string(event, "name", name) ||
            name != "exception") {
            continue;
        }
        std::deque<std::string> store;
        for (const KeyedScalar& a : read_attributes(event, store)) {
            if (a.first == "exception.message" && !builder.has_field(Field::error_message)) {
                builder.set_text(Field::error_message, scalar_text(a.second, buf));
            } else if (a.first == "exception.type" && !builder.has_field(Field::error_class)) {
                builder.set_text(Field::error_class, scalar_text(a.second, buf));
            }
        }
    }
}

bool read_span(dom::object span, const std::vector<KeyedScalar>& resource, SpanBuilder& builder) {
    std::string buf;
    read_id(span, "traceId", kTraceIdBytes, Field::trace_id, builder, buf);
    read_id(span, "spanId", kSpanIdBytes, Field::span_id, builder, buf);
    read_id(span, "parentSpanId", kSpanIdBytes, Field::parent_id, builder, buf);
    std::string_view name;
    if (member_string(span, "name", name)) {
        builder.set_text(Field::name, name);
    }
    dom::element kind;
    if (member(span, "kind", kind)) {
        builder.set_kind(parse_span_kind(scalar_text(to_scalar(kind), buf)));
    }
    read_otlp_times(span, builder);
    read_status(span, builder);
    apply_attributes(span, builder, buf);
    for (const KeyedScalar& a : resource) {
        builder.apply(a.first, a.second, Source::resource);
    }
    read_events(span, builder, buf);
    return builder.finish();  // links are not parents: ignored
}

// Spans of one resourceSpans entry, over all its scopes.
bool read_resource_spans(dom::object rs, SpanBuilder& builder, ReadContext& ctx) {
    std::deque<std::string> store;
    std::vector<KeyedScalar> resource;
    dom::object res;
    if (member_object(rs, "resource", res)) {
        resource = read_attributes(res, store);
        keep_field_attributes(resource, Dialect::generic);
    }
    for (std::string_view scopes_key : {"scopeSpans", "instrumentationLibrarySpans"}) {
        dom::array scopes;
        if (!member_array(rs, scopes_key, scopes)) {
            continue;
        }
        for (dom::element scope_el : scopes) {
            dom::object scope;
            dom::array spans;
            if (scope_el.get_object().get(scope) != simdjson::SUCCESS ||
                !member_array(scope, "spans", spans)) {
                continue;
            }
            for (dom::element span_el : spans) {
                dom::object span;
                if (span_el.get_object().get(span) != simdjson::SUCCESS) {
                    ctx.drop(Drop::not_object);
                } else if (!read_span(span, resource, builder)) {
                    return false;
                }
            }
        }
    }
    return true;
}

constexpr FormatWords kOtlpWords{
    "OTLP JSON", "traceId", "spanId", "parentSpanId", "startTimeUnixNano and endTimeUnixNano"};
constexpr FormatWords kTempoWords{
    "Tempo trace (OTLP JSON)",
    "traceId",
    "spanId",
    "parentSpanId",
    "startTimeUnixNano and endTimeUnixNano"};

// The list of resource spans: OTLP's `resourceSpans`, Tempo's v1 API `batches`, or either inside
// the `trace` object of Tempo's v2 API or the `result` object of Jaeger's API v3. Also names the
// key found.
bool find_resource_spans(dom::object obj, dom::array& out, std::string_view& key) {
    dom::object inner;
    if (member_object(obj, "trace", inner) || member_object(obj, "result", inner)) {
        obj = inner;
    }
    for (std::string_view candidate : {"resourceSpans", "batches"}) {
        if (member_array(obj, candidate, out)) {
            key = candidate;
            return true;
        }
    }
    return false;
}

}  // namespace

bool is_otlp_request(dom::object obj) {
    dom::array unused;
    std::string_view key;
    return find_resource_spans(obj, unused, key);
}

void read_otlp_request(dom::element root, ReadContext& ctx) {
    dom::object obj;
    dom::array resource_spans;
    std::string_view key;
    if (root.get_object().get(obj) != simdjson::SUCCESS ||
        !find_resource_spans(obj, resource_spans, key)) {
        return;
    }
    if (resource_spans.begin() == resource_spans.end()) {
        ctx.note_empty("\"" + std::string(key) + "\" is empty");
        return;
    }
    SpanBuilder builder(ctx, Dialect::generic);
    for (dom::element e : resource_spans) {
        dom::object rs;
        if (e.get_object().get(rs) != simdjson::SUCCESS) {
            ctx.skip_container("an entry of \"" + std::string(key) + "\" is not an object");
        } else if (!read_resource_spans(rs, builder, ctx)) {
            return;
        }
    }
    ctx.note_empty("no entry of \"" + std::string(key) + "\" holds scopeSpans with spans");
}

void read_otlp(dom::element root, ReadContext& ctx) {
    dom::object obj;
    const bool plain = root.get_object().get(obj) == simdjson::SUCCESS &&
                       obj.at_key("resourceSpans").error() == simdjson::SUCCESS;
    ctx.set_words(plain ? kOtlpWords : kTempoWords);
    read_otlp_request(root, ctx);
}

}  // namespace nra::formats
