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

#include "nra/formats.hpp"
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
};

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
    // Trace ids of the pushed spans in first-seen order, with their span counts.
    using TraceCounts = std::vector<std::pair<std::string_view, std::size_t>>;
    const TraceCounts& trace_counts() const { return counts_; }
    // Whether some pushed span had no trace id.
    bool has_untagged() const { return untagged_; }
    void warn(std::string message) { trace_.warnings.push_back(std::move(message)); }
    // Appends the aggregated warnings (call once, at the end).
    void flush_tally();

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
};

}  // namespace nra::formats
