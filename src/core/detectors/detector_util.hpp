// Private to the detectors: the per-trace context they share (what each span calls, as a
// normalized shape) and small helpers for wording findings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nra/assemble/assemble.hpp"
#include "nra/detectors/detectors.hpp"
#include "nra/detectors/finding.hpp"

namespace nra::detect {

// What kind of outgoing call a span is; `none` for server, consumer and internal work.
enum class CallKind : std::uint8_t { none, db, http, other };

inline constexpr std::int32_t kNoShape = -1;

struct Context {
    const TraceTree& tree;
    const std::vector<std::int64_t>& self_us;
    const DetectorThresholds& limits;
    std::vector<CallKind> call;       // per span
    std::vector<std::int32_t> shape;  // per span: index into shapes, or kNoShape
    std::vector<std::string> shapes;  // normalized statement, "METHOD endpoint", or span name
    // per shape: a DB statement with a WHERE clause or a parameter, so probably using what an
    // earlier query returned (sequential_calls; decided once per shape, not once per call)
    std::vector<bool> shape_has_inputs;
};

// Classifies every span and normalizes each distinct statement once (O(n) plus text length).
Context make_context(
    const TraceTree& tree,
    const std::vector<std::int64_t>& self_us,
    const DetectorThresholds& limits
);

// Children of one parent that make the same call (same kind and shape), each in start order.
struct Group {
    std::int32_t parent = -1;
    std::int32_t shape = kNoShape;
    std::vector<std::int32_t> spans;
};
std::vector<Group> group_children(const Context& ctx, std::int32_t parent, CallKind kind);

// Groups of >= min_count identical calls under one parent whose union of time is >= min_total_ms
// (the N+1 shape shared by the DB and HTTP detectors). Retry loops are left to `retries`.
std::vector<Group> repeated_calls(
    const Context& ctx, CallKind kind, int min_count, double min_total_ms
);

// --- predicates -----------------------------------------------------------------------------
bool is_datastore(const Span& span);
bool is_http_client(const Span& span);
// A failed attempt worth retrying: error flag, HTTP 5xx, or 429 (rate limited).
bool attempt_failed(const Span& span);
// A read (SELECT, GET, …) that could run concurrently with other reads; writes may depend on
// what came before them.
bool looks_like_read(const Context& ctx, std::int32_t i);

std::string fmt_ms(double ms);  // "8.5 ms", "410 ms", "1.2 s"
// Length of the union of the spans' intervals (spans sorted by start): overlap counted once.
std::int64_t union_us(const TraceTree& tree, const std::vector<std::int32_t>& spans);
std::string shorten(std::string_view text, std::size_t max_chars = 80);
std::string quoted(std::string_view text);                      // `text`, shortened
std::string span_label(const TraceTree& tree, std::int32_t i);  // "`GET /cart` in order-service"
std::string code_location(const Span& span);                    // "fn (file:line)" or ""
std::string failure_reason(const Span& span);  // "HTTP 503, \"upstream timeout\"" or "error"

// A finding with kind, service, span ids, count and location filled from `spans` (location from
// the first span carrying code.*, else from `parent`).
Finding make_finding(
    const TraceTree& tree,
    std::string kind,
    const std::vector<std::int32_t>& spans,
    std::int32_t parent = -1
);

// --- detectors --------------------------------------------------------------------------------
void detect_n_plus_one_db(const Context& ctx, std::vector<Finding>& out);
void detect_n_plus_one_http(const Context& ctx, std::vector<Finding>& out);
void detect_sequential_calls(const Context& ctx, std::vector<Finding>& out);
void detect_slow_db(const Context& ctx, std::vector<Finding>& out);
void detect_retries(const Context& ctx, std::vector<Finding>& out);
void detect_uninstrumented_gap(const Context& ctx, std::vector<Finding>& out);
void detect_call_gap(const Context& ctx, std::vector<Finding>& out);

void detect_error_origin(const Context& ctx, std::vector<Finding>& out);

// A retry repeats the exact call, parameters included: the raw text, not the shape. (Different
// parameters with the same shape are an N+1 loop whose one item failed.)
bool same_call(const Span& a, const Span& b);

}  // namespace nra::detect
