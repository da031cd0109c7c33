#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "id_index.hpp"
#include "steps.hpp"

namespace nra::assembly {
namespace {

bool same_span(const Span& a, const Span& b) {
    return a.start_us == b.start_us && a.duration_us == b.duration_us && a.name == b.name &&
           a.service == b.service && a.parent_id == b.parent_id;
}

// Re-keys the server halves of Zipkin client/server pairs that share one span id (flagged
// `shared`, or — as older Zipkin clients send them — a SERVER span reusing a CLIENT span's id):
// new id "<id>~server", parent = the client span; the children that name the shared id follow
// the server half, as in Jaeger's DeduplicateClientServerSpanIDs.
void split_shared_spans(Trace& trace) {
    std::unordered_map<std::string_view, int> clients;
    std::unordered_map<std::string_view, int> non_shared;
    for (const Span& s : trace.spans) {
        if (!s.shared) ++non_shared[s.span_id];
        if (!s.shared && s.kind == SpanKind::client) ++clients[s.span_id];
    }
    std::unordered_map<std::string_view, std::string_view> renamed;  // old id -> server id
    for (Span& s : trace.spans) {
        const bool server_half = s.shared ? non_shared[s.span_id] > 0
                                          : s.kind == SpanKind::server && clients[s.span_id] > 0;
        if (!server_half || renamed.count(s.span_id) != 0) continue;
        const std::string_view old_id = s.span_id;
        s.span_id = trace.intern(fmt::format("{}~server", old_id));
        s.parent_id = old_id;
        renamed.emplace(old_id, s.span_id);
    }
    if (renamed.empty()) return;
    for (Span& s : trace.spans) {
        auto it = renamed.find(s.parent_id);
        if (it != renamed.end() && s.span_id != it->second) s.parent_id = it->second;
    }
}

// `room` extra ids may be inserted later (the index does not grow).
IdIndex index_all(const Trace& trace, std::size_t room = 0) {
    IdIndex index(trace.spans.size() + room);
    for (std::size_t i = 0; i < trace.spans.size(); ++i) {
        index.insert(trace.spans[i].span_id, static_cast<std::int32_t>(i));
    }
    return index;
}

// "<id>#2", "#3"… skipping ids the trace already uses. `next` keeps each id's count, so k copies
// of one id cost O(k) rather than O(k²) (200,000 copies used to take minutes).
std::string_view fresh_id(
    Trace& trace,
    std::string_view id,
    IdIndex& taken,
    std::unordered_map<std::string_view, int>& next
) {
    for (int& n = next.try_emplace(id, 2).first->second;; ++n) {
        const auto candidate = fmt::format("{}#{}", id, n);
        if (taken.find(candidate) < 0) {
            const auto interned = trace.intern(candidate);
            taken.insert(interned, 0);
            ++n;
            return interned;
        }
    }
}

}  // namespace

void drop_invalid(Trace& trace, AssemblyReport& report) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < trace.spans.size(); ++i) {
        Span& s = trace.spans[i];
        if (s.span_id.empty()) {
            ++report.invalid_spans;
            continue;
        }
        if (s.duration_us < 0) s.duration_us = 0;
        // One name for a span whose source named no service, in JSON, text and Slack alike.
        if (s.service.empty()) s.service = trace.intern(kUnknownService);
        if (out != i) trace.spans[out] = std::move(s);
        ++out;
    }
    trace.spans.resize(out);
    if (report.invalid_spans > 0) {
        report.notes.push_back(plural(
            report.invalid_spans,
            "span without an id was dropped",
            "spans without an id were dropped"
        ));
    }
}

IdIndex resolve_duplicate_ids(Trace& trace, AssemblyReport& report) {
    bool unique = true;
    {
        IdIndex index(trace.spans.size());
        for (std::size_t i = 0; i < trace.spans.size() && unique; ++i) {
            const auto at = static_cast<std::int32_t>(i);
            unique = index.insert(trace.spans[i].span_id, at) == at;
        }
        if (unique) return index;  // the common case: nothing to repair
    }
    split_shared_spans(trace);
    IdIndex taken = index_all(trace, trace.spans.size());  // + every re-keyed id
    IdIndex first(trace.spans.size());                     // id -> output index of its first span
    std::unordered_map<std::string_view, int> next_suffix;
    std::size_t out = 0;
    for (std::size_t i = 0; i < trace.spans.size(); ++i) {
        Span s = std::move(trace.spans[i]);
        const auto at = first.insert(s.span_id, static_cast<std::int32_t>(out));
        if (at != static_cast<std::int32_t>(out)) {
            ++report.duplicate_ids;
            if (same_span(trace.spans[static_cast<std::size_t>(at)], s)) continue;  // exact copy
            s.span_id = fresh_id(trace, s.span_id, taken, next_suffix);
        }
        trace.spans[out++] = std::move(s);
    }
    trace.spans.resize(out);
    if (report.duplicate_ids > 0) {
        report.notes.push_back(plural(
            report.duplicate_ids,
            "duplicate span id was resolved",
            "duplicate span ids were resolved"
        ));
    }
    return index_all(trace);
}

}  // namespace nra::assembly
