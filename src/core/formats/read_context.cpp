#include "read_context.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace nra::formats {

ReadContext::ReadContext(Trace& trace, const ReadOptions& options)
    : trace_(trace), max_spans_(options.max_spans) {}

bool ReadContext::push(Span&& span) {
    if (trace_.spans.size() >= max_spans_) {
        fail(
            (words_.name.empty() ? std::string() : std::string(words_.name) + ": ") +
            "the trace has more than " + std::to_string(max_spans_) +
            " spans, the limit for one analysis"
        );
        return false;
    }
    ++entries_;
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

std::array<Note, 8> notes_of(const Tally& t) {
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
        {t.unknown_process,
         "span naming a processID the trace does not describe was",
         "spans naming a processID the trace does not describe were",
         " kept, with the processID standing in for the service name"},
    }};
}

// One line per non-zero count; `skips_only`: only the notes of spans that were not kept.
std::vector<std::string> tally_lines(const Tally& tally, bool skips_only) {
    std::vector<std::string> out;
    for (const Note& n : notes_of(tally)) {
        if (n.count > 0 && (!skips_only || n.outcome == " skipped")) {
            out.push_back(
                std::to_string(n.count) + " " + std::string(n.count == 1 ? n.one : n.many) +
                std::string(n.outcome)
            );
        }
    }
    return out;
}

std::string describe_drop(Drop why, const FormatWords& words, std::string_view key) {
    const auto or_default = [](std::string_view word, std::string_view fallback) {
        return std::string(word.empty() ? fallback : word);
    };
    switch (why) {
        case Drop::missing_id:
            return "has no " + or_default(words.span_id, "span id");
        case Drop::malformed_id:
            return "has an unreadable " + or_default(key, "span id") +
                   " (neither a string nor an integer)";
        case Drop::bad_time:
            return "has no valid " + or_default(words.start, "start time");
        case Drop::not_object:
            break;
    }
    return "is not an object";
}

}  // namespace

void ReadContext::flush_tally() {
    for (std::string& line : tally_lines(tally_, false)) {
        warn(std::move(line));
    }
}

void ReadContext::drop(Drop why, std::string_view key) {
    ++entries_;
    ++dropped_;
    switch (why) {
        case Drop::missing_id:
            ++tally_.missing_id;
            break;
        case Drop::malformed_id:
            ++tally_.malformed_span;
            break;
        case Drop::bad_time:
            ++tally_.bad_time;
            break;
        case Drop::not_object:
            ++tally_.not_object;
            break;
    }
    if (first_problem_.empty()) {
        first_problem_ = "span " + std::to_string(entries_) +
                         (line_ > 0 ? " (line " + std::to_string(line_) + ")" : std::string()) +
                         " " + describe_drop(why, words_, key);
    }
}

void ReadContext::skip_container(std::string_view what) {
    ++tally_.not_object;
    ++dropped_;
    if (first_problem_.empty()) {
        first_problem_ = std::string(what);
    }
}

void ReadContext::note_empty(std::string reason) {
    if (empty_reason_.empty()) {
        empty_reason_ = std::move(reason);
    }
}

std::string ReadContext::no_spans_message() const {
    std::string out = "no spans found";
    if (!words_.name.empty()) {
        out = std::string(words_.name) + ": " + out;
    }
    if (!first_problem_.empty()) {
        out += ": " + first_problem_;
        if (dropped_ > 1) {
            std::string all;
            for (const std::string& line : tally_lines(tally_, true)) {
                all += (all.empty() ? "" : "; ") + line;
            }
            out += " (" + all + ")";
        }
    } else if (!empty_reason_.empty()) {
        out += ": " + empty_reason_;
    } else if (!trace_.warnings.empty()) {
        out += " (" + trace_.warnings.front() + ")";
    }
    return out;
}

}  // namespace nra::formats
