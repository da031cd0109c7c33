// n_plus_one_db: the same query shape repeated under one parent (a query in a loop).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

// How to batch depends on the store: SQL has IN/JOIN, key-value stores have multi-get.
std::string batch_suggestion(std::string_view db_system) {
    const std::string sys = lower(db_system);
    if (sys == "redis" || sys == "memcached" || sys == "valkey") {
        return "fetch the keys in one round trip (MGET / pipelining) instead of one call per key";
    }
    if (sys == "mongodb" || sys == "mongo") {
        return "fetch the documents in one query with $in instead of one query per item";
    }
    if (sys == "cassandra" || sys == "dynamodb") {
        return "batch the reads (one multi-key read) or denormalise so one query answers the "
               "request";
    }
    return "batch into one query with IN (…) or a JOIN (eager-load the association) instead of "
           "one query per row";
}

}  // namespace

void detect_n_plus_one_db(const Context& ctx, std::vector<Finding>& out) {
    const auto& lim = ctx.limits;
    for (const Group& g : repeated_calls(
             ctx, CallKind::db, lim.n_plus_one_db_min_count, lim.n_plus_one_db_min_total_ms
         )) {
        const std::string& shape = ctx.shapes[static_cast<std::size_t>(g.shape)];
        Finding f = make_finding(ctx.tree, "n_plus_one_db", g.spans, g.parent);
        std::int64_t sum_us = 0;
        for (const std::int32_t i : g.spans) {
            sum_us += ctx.tree.span(i).duration_us;
        }
        const double avg_ms = to_ms(sum_us) / static_cast<double>(g.spans.size());
        f.total_ms = to_ms(union_us(ctx.tree, g.spans));
        // One batched query costs roughly one round trip: what we save is the rest of the
        // wall-clock time the repeats took (their union, so parallel repeats are not counted
        // twice). A batch returning N rows is somewhat slower than one row, so this is an
        // upper bound dominated by per-query round trips, which is what N+1 costs.
        f.saving_ms = std::max(0.0, f.total_ms - avg_ms);
        f.statement = shape;
        f.summary = fmt::format(
            "{} × {} under {}: N+1 queries, {} in total",
            g.spans.size(),
            quoted(shape),
            span_label(ctx.tree, g.parent),
            fmt_ms(f.total_ms)
        );
        f.suggestion = batch_suggestion(ctx.tree.span(g.spans.front()).db_system);
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect
