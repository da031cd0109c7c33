// detect_all: runs every detector over the whole trace and ranks the findings.
#include <algorithm>

#include "detector_util.hpp"
#include "nra/detectors/detectors.hpp"

namespace nra {

std::vector<Finding> detect_all(
    const TraceTree& tree,
    const std::vector<std::int64_t>& self_us,
    const DetectorThresholds& thresholds
) {
    std::vector<Finding> out;
    if (tree.root < 0 || self_us.size() != tree.size()) {
        return out;
    }
    const detect::Context ctx = detect::make_context(tree, self_us, thresholds);
    detect::detect_n_plus_one_db(ctx, out);
    detect::detect_n_plus_one_http(ctx, out);
    detect::detect_sequential_calls(ctx, out);
    detect::detect_slow_db(ctx, out);
    detect::detect_retries(ctx, out);
    detect::detect_uninstrumented_gap(ctx, out);
    detect::detect_call_gap(ctx, out);
    detect::detect_error_origin(ctx, out);
    // Biggest saving first; ties (e.g. the zero-saving kinds) by kind, then the larger time,
    // then the first span id, so the order never depends on the detectors' internals.
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
        if (a.saving_ms != b.saving_ms) {
            return a.saving_ms > b.saving_ms;
        }
        if (a.kind != b.kind) {
            return a.kind < b.kind;
        }
        if (a.total_ms != b.total_ms) {
            return a.total_ms > b.total_ms;
        }
        return a.span_ids < b.span_ids;
    });
    if (out.size() > thresholds.max_findings) {
        out.resize(thresholds.max_findings);
    }
    // A 50k-span N+1 must not produce a 50k-id JSON array; the first ids are evidence enough.
    for (Finding& f : out) {
        if (f.span_ids.size() > thresholds.max_span_ids) f.span_ids.resize(thresholds.max_span_ids);
    }
    return out;
}

}  // namespace nra
