// n_plus_one_db / n_plus_one_http: the same query shape or endpoint repeated under one parent
// (a query or an API call in a loop).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

// How to batch depends on the store: SQL has IN/JOIN, key-value stores have multi-get.
std::string batch_suggestion(std::string_view db_system) {
    const std::string sys = ascii_lower(db_system);
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

struct RepeatSpec {
    const char* kind;
    CallKind call;
    int min_count;
    double min_total_ms;
    const char* label;  // "N+1 queries"
};

// One batched call costs roughly one round trip: what we save is the rest of the wall-clock
// time the repeats took (their union, so parallel repeats are not counted twice). A batch
// returning N rows is somewhat slower than one row, so this is an upper bound dominated by
// per-call round trips, which is what N+1 costs.
void detect_repeated(const Context& ctx, const RepeatSpec& spec, std::vector<Finding>& out) {
    for (const Group& g : repeated_calls(ctx, spec.call, spec.min_count, spec.min_total_ms)) {
        const std::string& shape = ctx.shapes[static_cast<std::size_t>(g.shape)];
        Finding f = make_finding(ctx.tree, spec.kind, g.spans, g.parent);
        // Summed as double: a few spans near the 2^60 µs duration limit overflow an int64.
        double sum_us = 0;
        for (const std::int32_t i : g.spans) {
            sum_us += static_cast<double>(ctx.tree.span(i).duration_us);
        }
        const double avg_ms = sum_us / 1000.0 / static_cast<double>(g.spans.size());
        f.total_ms = to_ms(union_us(ctx.tree, g.spans));
        f.saving_ms = std::max(0.0, f.total_ms - avg_ms);
        f.statement = shape;
        f.summary = fmt::format(
            "{} × {} under {}: {}, {} in total",
            g.spans.size(),
            quoted(shape),
            span_label(ctx.tree, g.parent),
            spec.label,
            fmt_ms(f.total_ms)
        );
        f.suggestion = spec.call == CallKind::db
                           ? batch_suggestion(ctx.tree.span(g.spans.front()).db_system)
                           : "fetch them in one request (a batch or bulk endpoint) or cache the "
                             "responses; if the API has no batch form, at least run the calls "
                             "concurrently";
        out.push_back(std::move(f));
    }
}

}  // namespace

void detect_n_plus_one_db(const Context& ctx, std::vector<Finding>& out) {
    const auto& lim = ctx.limits;
    detect_repeated(
        ctx,
        {"n_plus_one_db",
         CallKind::db,
         lim.n_plus_one_db_min_count,
         lim.n_plus_one_db_min_total_ms,
         "N+1 queries"},
        out
    );
}

void detect_n_plus_one_http(const Context& ctx, std::vector<Finding>& out) {
    const auto& lim = ctx.limits;
    detect_repeated(
        ctx,
        {"n_plus_one_http",
         CallKind::http,
         lim.n_plus_one_http_min_count,
         lim.n_plus_one_http_min_total_ms,
         "N+1 API calls"},
        out
    );
}

}  // namespace nra::detect
