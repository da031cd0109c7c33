#include "read_context.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace nra::formats {

ReadContext::ReadContext(Trace& trace, const ReadOptions& options)
    : trace_(trace), max_spans_(options.max_spans) {}

bool ReadContext::push(Span&& span) {
    if (trace_.spans.size() >= max_spans_) {
        fail(
            "the trace has more than " + std::to_string(max_spans_) +
            " spans, the limit for one analysis"
        );
        return false;
    }
    count(span.trace_id);
    trace_.spans.push_back(std::move(span));
    return true;
}

void ReadContext::count(std::string_view trace_id) {
    if (trace_id.empty()) {
        untagged_ = true;
        return;
    }
    // Ids are interned, so one id is one address: consecutive spans of one trace compare a
    // pointer, and the index keeps documents with many traces linear.
    if (trace_id.data() != last_trace_) {
        last_trace_ = trace_id.data();
        auto [it, added] = count_index_.try_emplace(last_trace_, counts_.size());
        if (added) {
            counts_.emplace_back(trace_id, 0);
        }
        last_index_ = it->second;
    }
    ++counts_[last_index_].second;
}

void ReadContext::reserve(std::size_t spans) {
    // Capped: a small document of many empty rows must not reserve gigabytes up front.
    constexpr std::size_t kMaxReserve = std::size_t{1} << 17U;
    trace_.spans.reserve(std::min({spans, max_spans_, kMaxReserve}) + trace_.spans.size());
}

void ReadContext::fail(std::string message) {
    if (!error_) {
        error_ = std::move(message);
    }
}

namespace {

struct Note {
    std::size_t count;
    std::string_view one;   // subject for a count of 1
    std::string_view many;  // subject for larger counts
    std::string_view outcome;
};

std::array<Note, 7> notes_of(const Tally& t) {
    constexpr std::string_view kSkipped = " skipped";
    constexpr std::string_view kZeroed = " kept with duration 0";
    return {{
        {t.missing_id, "span without an id was", "spans without an id were", kSkipped},
        {t.malformed_span,
         "span with a malformed id was",
         "spans with a malformed id were",
         kSkipped},
        {t.bad_time,
         "span without a valid start time was",
         "spans without a valid start time were",
         kSkipped},
        {t.not_object,
         "entry that is not a span object was",
         "entries that are not span objects were",
         kSkipped},
        {t.missing_duration,
         "span without a valid duration was",
         "spans without a valid duration were",
         kZeroed},
        {t.negative_duration,
         "span with a negative duration was",
         "spans with a negative duration were",
         kZeroed},
        {t.malformed_field,
         "attribute of an unexpected type was",
         "attributes of an unexpected type were",
         " ignored"},
    }};
}

}  // namespace

void ReadContext::flush_tally() {
    for (const Note& n : notes_of(tally_)) {
        if (n.count > 0) {
            warn(
                std::to_string(n.count) + " " + std::string(n.count == 1 ? n.one : n.many) +
                std::string(n.outcome)
            );
        }
    }
}

}  // namespace nra::formats
