// n_plus_one_http: the same endpoint called repeatedly under one parent (an API call in a loop).
#include <fmt/format.h>

#include <algorithm>

#include "detector_util.hpp"

namespace nra::detect {

void detect_n_plus_one_http(const Context& ctx, std::vector<Finding>& out) {
    const auto& lim = ctx.limits;
    for (const Group& g : repeated_calls(
             ctx, CallKind::http, lim.n_plus_one_http_min_count, lim.n_plus_one_http_min_total_ms
         )) {
        const std::string& shape = ctx.shapes[static_cast<std::size_t>(g.shape)];
        Finding f = make_finding(ctx.tree, "n_plus_one_http", g.spans, g.parent);
        std::int64_t sum_us = 0;
        for (const std::int32_t i : g.spans) {
            sum_us += ctx.tree.span(i).duration_us;
        }
        const double avg_ms = to_ms(sum_us) / static_cast<double>(g.spans.size());
        f.total_ms = to_ms(union_us(ctx.tree, g.spans));
        // One batch request costs about one call: the saving is the wall-clock time of the
        // repeats (union, so concurrent calls count once) minus one average call.
        f.saving_ms = std::max(0.0, f.total_ms - avg_ms);
        f.statement = shape;
        f.summary = fmt::format(
            "{} × {} under {}: N+1 API calls, {} in total",
            g.spans.size(),
            quoted(shape),
            span_label(ctx.tree, g.parent),
            fmt_ms(f.total_ms)
        );
        f.suggestion =
            "fetch them in one request (a batch or bulk endpoint) or cache the responses; if the "
            "API has no batch form, at least run the calls concurrently";
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect
