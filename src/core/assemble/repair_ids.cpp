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

// Re-keys the server halves of Zipkin shared spans: new id "<id>~server", parent = client span,
// and the server-side children (which name the shared id as parent) follow the server half.
void split_shared_spans(Trace& trace) {
    if (std::none_of(trace.spans.begin(), trace.spans.end(), [](const Span& s) {
            return s.shared;
        })) {
        return;
    }
    std::unordered_map<std::string_view, std::string_view> renamed;  // old id -> server id
    std::unordered_map<std::string_view, int> non_shared;
    for (const Span& s : trace.spans) {
        if (!s.shared) ++non_shared[s.span_id];
    }
    for (Span& s : trace.spans) {
        if (!s.shared || non_shared[s.span_id] == 0) continue;
        std::string_view old_id = s.span_id;
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

namespace {

IdIndex index_ids(const Trace& trace, bool& unique) {
    IdIndex index(trace.spans.size());
    unique = true;
    for (std::size_t i = 0; i < trace.spans.size() && unique; ++i) {
        unique = index.insert(trace.spans[i].span_id, static_cast<std::int32_t>(i)) ==
                 static_cast<std::int32_t>(i);
    }
    return index;
}

}  // namespace

IdIndex resolve_duplicate_ids(Trace& trace, AssemblyReport& report) {
    split_shared_spans(trace);
    bool unique = false;
    if (auto index = index_ids(trace, unique); unique) return index;  // the common case
    IdIndex first(trace.spans.size());  // id -> index of its first span
    std::unordered_map<std::string_view, int> copies;
    std::size_t out = 0;
    for (std::size_t i = 0; i < trace.spans.size(); ++i) {
        Span s = std::move(trace.spans[i]);
        const auto at = first.insert(s.span_id, static_cast<std::int32_t>(out));
        if (at != static_cast<std::int32_t>(out)) {
            ++report.duplicate_ids;
            if (same_span(trace.spans[static_cast<std::size_t>(at)], s))
                continue;  // exact copy: drop
            int n = ++copies[s.span_id] + 1;
            s.span_id = trace.intern(fmt::format("{}#{}", s.span_id, n));
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
    auto index = index_ids(trace, unique);
    return index;
}

}  // namespace nra::assembly
