// Jaeger JSON: the query API response {"data":[trace…]}, one trace object alone (UI export) or an
// array of trace objects. Times are microseconds; parents come from `references`.
#include <algorithm>
#include <string>
#include <vector>

#include "readers.hpp"

namespace nra::formats {
namespace {

// A process of the trace, with only the tags that fill fields (they are applied to every span).
struct Process {
    std::string_view id;
    std::string_view service;
    std::vector<KeyedScalar> tags;
};

// Ids are strings (lower-cased); a number is printed, any other type drops the span.
void set_id(dom::element e, Field field, SpanBuilder& builder, std::string& buf) {
    const Scalar v = to_scalar(e);
    std::string_view id;
    if (id_text(v, buf, id)) {
        builder.set_text(field, id);
    } else if (v.type != Scalar::Type::null) {
        builder.mark_malformed(field);
    }
}

// Parent: the first CHILD_OF reference; failing that the first FOLLOWS_FROM (asynchronous).
void read_parent(dom::object span, SpanBuilder& builder, std::string& buf) {
    dom::array refs;
    dom::element follows_from;
    bool has_follows = false;
    if (member_array(span, "references", refs)) {
        for (dom::element r : refs) {
            dom::object ref;
            std::string_view type;
            dom::element id;
            if (r.get_object().get(ref) != simdjson::SUCCESS || !member(ref, "spanID", id)) {
                continue;
            }
            (void)member_string(ref, "refType", type);
            if (iequals(type, "CHILD_OF")) {
                set_id(id, Field::parent_id, builder, buf);
                return;
            }
            if (!has_follows && iequals(type, "FOLLOWS_FROM")) {
                follows_from = id;
                has_follows = true;
            }
        }
    }
    dom::element legacy;
    if (has_follows) {
        set_id(follows_from, Field::parent_id, builder, buf);
        builder.span().follows_from = true;
    } else if (member(span, "parentSpanID", legacy)) {
        set_id(legacy, Field::parent_id, builder, buf);
    }
}

// Tags are [{key, type, value}]; `error` (true or "true") is mapped like the other names.
std::vector<KeyedScalar> read_tags(dom::object owner) {
    std::vector<KeyedScalar> out;
    dom::array tags;
    if (!member_array(owner, "tags", tags)) {
        return out;
    }
    for (dom::element t : tags) {
        dom::object tag;
        std::string_view key;
        dom::element value;
        if (t.get_object().get(tag) == simdjson::SUCCESS && member_string(tag, "key", key) &&
            member(tag, "value", value)) {
            out.emplace_back(key, to_scalar(value));
        }
    }
    return out;
}

void apply_tags(const std::vector<KeyedScalar>& tags, SpanBuilder& builder, Source source) {
    for (const auto& [key, value] : tags) {
        builder.apply(key, value, source);
    }
}

// Error details from logs: OpenTracing `event=error` (message / error.object / error.kind) or
// OpenTelemetry `exception` events converted to logs.
void read_log_fields(dom::array fields, SpanBuilder& builder, std::string& buf) {
    std::string_view event;
    for (dom::element f : fields) {
        dom::object field;
        std::string_view key;
        if (f.get_object().get(field) == simdjson::SUCCESS && member_string(field, "key", key) &&
            key == "event") {
            (void)member_string(field, "value", event);
        }
    }
    if (event != "error" && event != "exception") {
        return;
    }
    for (dom::element f : fields) {
        dom::object field;
        std::string_view key;
        dom::element value;
        if (f.get_object().get(field) != simdjson::SUCCESS || !member_string(field, "key", key) ||
            !member(field, "value", value)) {
            continue;
        }
        const bool message =
            key == "message" || key == "error.object" || key == "exception.message";
        const bool kind = key == "error.kind" || key == "exception.type";
        const Field target = message ? Field::error_message : Field::error_class;
        if ((message || kind) && !builder.has_field(target)) {
            builder.set_text(target, scalar_text(to_scalar(value), buf));
        }
    }
}

void read_logs(dom::object span, SpanBuilder& builder, std::string& buf) {
    dom::array logs;
    if (!builder.is_error() || !member_array(span, "logs", logs)) {
        return;
    }
    for (dom::element l : logs) {
        dom::object log;
        dom::array fields;
        if (l.get_object().get(log) == simdjson::SUCCESS && member_array(log, "fields", fields)) {
            read_log_fields(fields, builder, buf);
        }
    }
}

Process read_process(std::string_view id, dom::object object) {
    Process process{id, {}, read_tags(object)};
    (void)member_string(object, "serviceName", process.service);
    keep_field_attributes(process.tags, Dialect::generic);
    return process;
}

void apply_process(const Process& process, SpanBuilder& builder) {
    if (!process.service.empty()) {
        builder.set_text(Field::service, process.service);
    }
    apply_tags(process.tags, builder, Source::resource);
}

void read_jaeger_times(dom::object span, SpanBuilder& builder) {
    dom::element e;
    std::int64_t us = 0;
    if (member(span, "startTime", e) && to_micros(to_scalar(e), TimeUnit::microseconds, us)) {
        builder.set_start_us(us);
    }
    if (member(span, "duration", e) && to_micros(to_scalar(e), TimeUnit::microseconds, us)) {
        builder.set_duration_us(us);
    }
}

struct TraceContext {
    std::vector<Process> processes;
    dom::element trace_id;  // the trace object's traceID, for spans that omit their own
    bool has_trace_id = false;
};

bool read_span(dom::object span, const TraceContext& trace, SpanBuilder& builder) {
    std::string buf;
    dom::element e;
    if (member(span, "traceID", e)) {
        set_id(e, Field::trace_id, builder, buf);
    }
    if (trace.has_trace_id) {
        set_id(trace.trace_id, Field::trace_id, builder, buf);  // no-op when the span had one
    }
    if (member(span, "spanID", e)) {
        set_id(e, Field::span_id, builder, buf);
    }
    read_parent(span, builder, buf);
    std::string_view name;
    if (member_string(span, "operationName", name)) {
        builder.set_text(Field::name, name);
    }
    read_jaeger_times(span, builder);
    apply_tags(read_tags(span), builder, Source::span);
    dom::object inline_process;
    std::string_view process_id;
    if (member_object(span, "process", inline_process)) {
        apply_process(read_process({}, inline_process), builder);
    } else if (member_string(span, "processID", process_id)) {
        const auto& ps = trace.processes;
        auto it = std::lower_bound(ps.begin(), ps.end(), process_id, [](const Process& p, auto id) {
            return p.id < id;
        });
        if (it != ps.end() && it->id == process_id) {
            apply_process(*it, builder);
        }
    }
    read_logs(span, builder, buf);
    return builder.finish();
}

std::vector<Process> read_processes(dom::object trace) {
    std::vector<Process> out;
    dom::object processes;
    if (member_object(trace, "processes", processes)) {
        for (auto [id, value] : processes) {
            dom::object process;
            if (value.get_object().get(process) == simdjson::SUCCESS) {
                out.push_back(read_process(id, process));
            }
        }
    }
    // Sorted for binary search: a trace may list many processes.
    std::sort(out.begin(), out.end(), [](const Process& a, const Process& b) {
        return a.id < b.id;
    });
    return out;
}

bool read_one_trace(dom::object trace, SpanBuilder& builder, ReadContext& ctx) {
    TraceContext context{read_processes(trace), {}, false};
    context.has_trace_id = member(trace, "traceID", context.trace_id);
    dom::array spans;
    if (!member_array(trace, "spans", spans)) {
        ctx.note_empty("a trace has no \"spans\" list");
        return true;
    }
    if (spans.begin() == spans.end()) {
        ctx.note_empty("the trace's \"spans\" list is empty");
    }
    for (dom::element e : spans) {
        dom::object span;
        if (e.get_object().get(span) != simdjson::SUCCESS) {
            ctx.drop(Drop::not_object);
        } else if (!read_span(span, context, builder)) {
            return false;
        }
    }
    return true;
}

constexpr FormatWords kJaegerWords{
    "Jaeger JSON", "traceID", "spanID", "spanID of a reference", "startTime"};

}  // namespace

void read_jaeger(dom::element root, ReadContext& ctx) {
    ctx.set_words(kJaegerWords);
    SpanBuilder builder(ctx, Dialect::generic);
    dom::object single;
    if (root.get_object().get(single) == simdjson::SUCCESS &&
        single.at_key("data").error() != simdjson::SUCCESS) {
        read_one_trace(single, builder, ctx);
        return;
    }
    dom::array traces;
    if (root.at_key("data").get_array().get(traces) != simdjson::SUCCESS &&
        root.get_array().get(traces) != simdjson::SUCCESS) {
        return;
    }
    if (traces.begin() == traces.end()) {
        ctx.note_empty("\"data\" holds no traces");
    }
    for (dom::element e : traces) {
        dom::object trace;
        if (e.get_object().get(trace) != simdjson::SUCCESS) {
            ctx.skip_container("an entry of the list of traces is not a trace object");
        } else if (!read_one_trace(trace, builder, ctx)) {
            return;
        }
    }
}

}  // namespace nra::formats
