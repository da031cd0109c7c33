// Zipkin v2 JSON: an array of spans, an array of such arrays (several traces), or one span object.
// Times are microseconds; errors are a tag named `error`.
#include <string>

#include "readers.hpp"

namespace nra::formats {
namespace {

// Ids are hex strings; a number is printed, any other type drops the span.
void read_id(
    dom::object span, std::string_view key, Field field, SpanBuilder& builder, std::string& buf
) {
    dom::element e;
    if (!member(span, key, e)) {
        return;
    }
    const Scalar v = to_scalar(e);
    std::string_view id;
    if (id_text(v, buf, id)) {
        builder.set_text(field, id);
    } else if (v.type != Scalar::Type::null) {
        builder.mark_malformed(field);
    }
}

void read_time(dom::object span, std::string_view key, bool is_start, SpanBuilder& builder) {
    dom::element e;
    std::int64_t us = 0;
    if (member(span, key, e) && to_micros(to_scalar(e), TimeUnit::microseconds, us)) {
        if (is_start) {
            builder.set_start_us(us);
        } else {
            builder.set_duration_us(us);
        }
    }
}

void read_endpoints(dom::object span, SpanBuilder& builder) {
    dom::object local;
    std::string_view text;
    if (member_object(span, "localEndpoint", local)) {
        if (member_string(local, "serviceName", text)) {
            builder.set_text(Field::service, text);
        }
        if (member_string(local, "ipv4", text) || member_string(local, "ipv6", text)) {
            builder.set_text(Field::host, text);
        }
    }
    dom::object remote;
    if (member_object(span, "remoteEndpoint", remote) &&
        (member_string(remote, "serviceName", text) || member_string(remote, "ipv4", text) ||
         member_string(remote, "ipv6", text))) {
        builder.set_text(Field::peer_host, text);
    }
}

void read_tags(dom::object span, SpanBuilder& builder) {
    dom::object tags;
    if (!member_object(span, "tags", tags)) {
        return;
    }
    for (auto [key, value] : tags) {
        if (key == "error") {
            // The tag's value is the message; an empty value still marks the error.
            builder.set_error();
            std::string_view message;
            if (value.get_string().get(message) == simdjson::SUCCESS && !message.empty()) {
                builder.set_text(Field::error_message, message);
            }
            continue;
        }
        builder.apply(key, to_scalar(value));
    }
}

bool read_span(dom::object span, SpanBuilder& builder) {
    std::string buf;
    read_id(span, "traceId", Field::trace_id, builder, buf);
    read_id(span, "id", Field::span_id, builder, buf);
    read_id(span, "parentId", Field::parent_id, builder, buf);
    std::string_view text;
    if (member_string(span, "name", text)) {
        builder.set_text(Field::name, text);
    }
    if (member_string(span, "kind", text)) {
        builder.set_kind(parse_span_kind(text));
    }
    read_time(span, "timestamp", true, builder);
    read_time(span, "duration", false, builder);
    read_endpoints(span, builder);
    bool shared = false;
    if (span.at_key("shared").get_bool().get(shared) == simdjson::SUCCESS && shared) {
        builder.span().shared = true;  // server half of a client/server pair with one span id
    }
    read_tags(span, builder);
    return builder.finish();
}

bool read_spans(dom::array spans, SpanBuilder& builder, ReadContext& ctx) {
    for (dom::element e : spans) {
        dom::object span;
        if (e.get_object().get(span) != simdjson::SUCCESS) {
            ctx.drop(Drop::not_object);
        } else if (!read_span(span, builder)) {
            return false;
        }
    }
    return true;
}

constexpr FormatWords kZipkinWords{"Zipkin v2 JSON", "traceId", "id", "parentId", "timestamp"};

}  // namespace

void read_zipkin(dom::element root, ReadContext& ctx) {
    ctx.set_words(kZipkinWords);
    SpanBuilder builder(ctx, Dialect::generic);
    dom::object single;
    if (root.get_object().get(single) == simdjson::SUCCESS) {
        read_span(single, builder);  // one span on its own, as a span is logged or posted
        return;
    }
    dom::array top;
    if (root.get_array().get(top) != simdjson::SUCCESS) {
        return;
    }
    dom::element first;
    if (top.at(0).get(first) == simdjson::SUCCESS && !first.is_array()) {
        read_spans(top, builder, ctx);
        return;
    }
    ctx.note_empty("every trace in the list is empty");
    for (dom::element e : top) {
        dom::array trace;
        if (e.get_array().get(trace) != simdjson::SUCCESS) {
            ctx.skip_container("an entry of the list of traces is not a list of spans");
        } else if (!read_spans(trace, builder, ctx)) {
            return;
        }
    }
}

}  // namespace nra::formats
