// Jaeger JSON: the query API response {"data":[trace…]} (or {"data":trace}), one trace object alone
// (UI export), an array of trace objects, or a bare array of spans (the anonymizer's output, each
// span with an inline `process`). Times are microseconds; parents come from `references`.
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
    std::size_t* unknown_process = nullptr;  // the tally's count
};

// The span's process: inline (`process`, as the anonymizer writes it) or named by `processID`
// in the trace's `processes`. A processID the trace does not describe (bare spans have no
// `processes` map) stands in for the service name: it still tells the processes apart.
void read_span_process(dom::object span, const TraceContext& trace, SpanBuilder& builder) {
    dom::object inline_process;
    std::string_view process_id;
    if (member_object(span, "process", inline_process)) {
        apply_process(read_process({}, inline_process), builder);
    } else if (member_string(span, "processID", process_id) && !process_id.empty()) {
        const auto& ps = trace.processes;
        auto it = std::lower_bound(ps.begin(), ps.end(), process_id, [](const Process& p, auto id) {
            return p.id < id;
        });
        if (it != ps.end() && it->id == process_id) {
            apply_process(*it, builder);
        } else {
            builder.set_text(Field::service, process_id);
            ++*trace.unknown_process;
        }
    }
}

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
    read_span_process(span, trace, builder);
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

bool read_spans(dom::array spans, const TraceContext& context, SpanBuilder& builder) {
    ReadContext& ctx = builder.context();
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

bool read_one_trace(dom::object trace, SpanBuilder& builder) {
    ReadContext& ctx = builder.context();
    TraceContext context{read_processes(trace), {}, false, &ctx.tally().unknown_process};
    context.has_trace_id = member(trace, "traceID", context.trace_id);
    dom::array spans;
    if (!member_array(trace, "spans", spans)) {
        ctx.note_empty("a trace has no \"spans\" list");
        return true;
    }
    if (spans.begin() == spans.end()) {
        ctx.note_empty("the trace's \"spans\" list is empty");
    }
    return read_spans(spans, context, builder);
}

// Bare spans (Jaeger's anonymizer): one trace without a processes map.
void read_bare_spans(dom::array spans, SpanBuilder& builder) {
    ReadContext& ctx = builder.context();
    const TraceContext context{{}, {}, false, &ctx.tally().unknown_process};
    read_spans(spans, context, builder);
}

// {"data": null, "errors": [{"code": 404, "msg": "trace not found"}]}
std::string api_error(dom::object response) {
    std::string out = "Jaeger JSON: the Jaeger API answered with an error";
    dom::object first;
    if (response.at_key("errors").at(0).get_object().get(first) == simdjson::SUCCESS) {
        std::string buf;
        dom::element code;
        std::string_view msg;
        if (member(first, "code", code)) {
            out += " " + std::string(scalar_text(to_scalar(code), buf));
        }
        if (member_string(first, "msg", msg)) {
            out += ": " + one_line(msg);
        }
    }
    return out;
}

void read_trace_list(dom::array traces, SpanBuilder& builder, std::string_view where) {
    ReadContext& ctx = builder.context();
    if (traces.begin() == traces.end()) {
        ctx.note_empty(std::string(where) + " holds no traces");
    }
    for (dom::element e : traces) {
        dom::object trace;
        if (e.get_object().get(trace) != simdjson::SUCCESS) {
            ctx.skip_container("an entry of " + std::string(where) + " is not a trace object");
        } else if (!read_one_trace(trace, builder)) {
            return;
        }
    }
}

constexpr FormatWords kJaegerWords{
    "Jaeger JSON", "traceID", "spanID", "spanID of a reference", "startTime"};

// The API envelope {"data": [trace…]} or {"data": trace}, with its errors.
void read_envelope(dom::object response, dom::element data, SpanBuilder& builder) {
    dom::array traces;
    dom::object trace;
    if (data.get_array().get(traces) == simdjson::SUCCESS) {
        read_trace_list(traces, builder, "\"data\"");
    } else if (data.get_object().get(trace) == simdjson::SUCCESS) {
        read_one_trace(trace, builder);
    } else {
        builder.context().fail(api_error(response));
    }
}

}  // namespace

void read_jaeger(dom::element root, ReadContext& ctx) {
    ctx.set_words(kJaegerWords);
    SpanBuilder builder(ctx, Dialect::generic);
    dom::object object;
    dom::element data;
    if (root.get_object().get(object) == simdjson::SUCCESS) {
        if (member(object, "data", data)) {
            read_envelope(object, data, builder);
        } else {
            read_one_trace(object, builder);
        }
        return;
    }
    dom::array top;
    dom::object first;
    if (root.get_array().get(top) != simdjson::SUCCESS) {
        return;
    }
    if (top.at(0).get_object().get(first) == simdjson::SUCCESS &&
        first.at_key("spans").error() != simdjson::SUCCESS) {
        read_bare_spans(top, builder);
    } else {
        read_trace_list(top, builder, "the list");
    }
}

}  // namespace nra::formats
