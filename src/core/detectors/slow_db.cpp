// slow_db: single datastore calls slower than the threshold, one finding per statement shape.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

// What a healthy single query should take. An indexed OLTP query usually finishes in a few
// milliseconds; 100 ms leaves room for network, larger result sets and busy databases, so the
// saving we claim (everything above it) is conservative rather than "the query could take 0".
constexpr double kSlowDbTargetMs = 100.0;

std::string slow_suggestion(std::string_view statement) {
    const bool sql = statement.find(' ') != std::string_view::npos;
    if (!sql) {
        return "check the datastore's slow log and the size of what this call reads; cache it "
               "if it is read often";
    }
    return "look at the query plan (EXPLAIN ANALYZE): add an index for the WHERE/JOIN columns, "
           "fetch fewer rows or columns, or cache the result";
}

}  // namespace

void detect_slow_db(const Context& ctx, std::vector<Finding>& out) {
    // Ordered by shape id (first appearance in the trace) so the output is deterministic.
    std::map<std::int32_t, std::vector<std::int32_t>> by_shape;
    for (std::size_t i = 0; i < ctx.tree.size(); ++i) {
        if (ctx.call[i] == CallKind::db &&
            to_ms(ctx.tree.trace.spans[i].duration_us) >= ctx.limits.slow_db_ms) {
            by_shape[ctx.shape[i]].push_back(static_cast<std::int32_t>(i));
        }
    }
    for (const auto& [shape_id, spans] : by_shape) {
        const std::string& shape = ctx.shapes[static_cast<std::size_t>(shape_id)];
        Finding f = make_finding(ctx.tree, "slow_db", spans);
        std::int64_t max_us = 0;
        for (const std::int32_t i : spans) {
            const double ms = to_ms(ctx.tree.span(i).duration_us);
            f.total_ms += ms;
            f.saving_ms += std::max(0.0, ms - kSlowDbTargetMs);
            max_us = std::max(max_us, ctx.tree.span(i).duration_us);
        }
        f.statement = shape;
        const std::string where = ctx.tree.span(spans.front()).service.empty()
                                      ? std::string()
                                      : fmt::format(" in {}", ctx.tree.span(spans.front()).service);
        f.summary =
            spans.size() == 1
                ? fmt::format("{} took {}{}: slow query", quoted(shape), fmt_ms(f.total_ms), where)
                : fmt::format(
                      "{} ran {} times{}, each over {} (slowest {}): slow query",
                      quoted(shape),
                      spans.size(),
                      where,
                      fmt_ms(ctx.limits.slow_db_ms),
                      fmt_ms(to_ms(max_us))
                  );
        f.suggestion = slow_suggestion(shape);
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect
