// Private: the state shared by the trace readers of one read_trace() call: the Trace being filled,
// the span limit and aggregated warnings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nra/formats/formats.hpp"
#include "nra/span.hpp"

namespace nra::formats {

// Counts of repaired or dropped input, reported once per read as one warning line each.
struct Tally {
    std::size_t missing_id = 0;
    std::size_t bad_time = 0;
    std::size_t missing_duration = 0;
    std::size_t negative_duration = 0;
    std::size_t malformed_span = 0;
    std::size_t malformed_field = 0;
    std::size_t not_object = 0;
    std::size_t unknown_process = 0;  // Jaeger: processID not in the trace's processes
};

// How a format names itself and its fields in error messages ("Jaeger JSON: no spans found: span 3
// has no spanID").
struct FormatWords {
    std::string_view name;
    std::string_view trace_id;
    std::string_view span_id;
    std::string_view parent_id;
    std::string_view start;
};

// Why a span entry was not kept.
enum class Drop : std::uint8_t { missing_id, malformed_id, bad_time, not_object };

// Per-read state: the Trace being filled, the span limit and the aggregated warnings.
class ReadContext {
public:
    ReadContext(Trace& trace, const ReadOptions& options);

    Tally& tally() { return tally_; }
    // Adds a finished span; false (and error() set) once the span limit is exceeded.
    bool push(Span&& span);
    // Pre-sizes the span vector so 100k-row inputs do not regrow it.
    void reserve(std::size_t spans);
    const std::optional<std::string>& error() const { return error_; }
    // Records a fatal problem (the first one wins); readers stop when error() is set.
    void fail(std::string message);
    std::string_view intern(std::string_view s) { return trace_.intern(s); }
    // A copy in the trace's pool without de-duplication (text that is nearly always distinct).
    std::string_view store(std::string_view s) { return trace_.pool->store(s); }
    // Trace ids of the pushed spans in first-seen order, with their span counts.
    using TraceCounts = std::vector<std::pair<std::string_view, std::size_t>>;
    const TraceCounts& trace_counts() const { return counts_; }
    // Whether some pushed span had no trace id.
    bool has_untagged() const { return untagged_; }
    void warn(std::string message) { trace_.warnings.push_back(std::move(message)); }
    // Appends the aggregated warnings (call once, at the end).
    void flush_tally();

    // The format being read, named in error messages; readers set it first.
    void set_words(const FormatWords& words) { words_ = words; }
    const FormatWords& words() const { return words_; }
    // JSON Lines: the line being read (1-based), named with the first dropped span.
    void set_line(std::size_t line) { line_ = line; }
    // A span entry was not kept: counted in the tally; the first one is described ("span 3 has
    // no spanID", numbered over every span entry of the document). `key`: the malformed field.
    void drop(Drop why, std::string_view key = {});
    // An entry above the spans (a trace, a batch) is not an object: `what` says which.
    void skip_container(std::string_view what);
    // Why the document holds no span at all (an empty list…); the first reason is kept.
    void note_empty(std::string reason);
    // The error for a read that kept no span: the format, then the first problem met.
    std::string no_spans_message() const;

private:
    void count(std::string_view trace_id);

    Trace& trace_;
    std::size_t max_spans_;
    Tally tally_;
    std::optional<std::string> error_;
    TraceCounts counts_;
    std::unordered_map<const char*, std::size_t> count_index_;
    const char* last_trace_ = nullptr;
    std::size_t last_index_ = 0;
    bool untagged_ = false;
    FormatWords words_;
    std::size_t line_ = 0;
    std::size_t entries_ = 0;  // span entries met, kept or not
    std::size_t dropped_ = 0;
    std::string first_problem_;
    std::string empty_reason_;
};

}  // namespace nra::formats
