// sequential_calls: independent calls (different targets, reads) made one after another by the
// same parent, which could have run concurrently.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

// Sentry's consecutive-DB rule: a query with a WHERE clause or parameters probably uses what an
// earlier query returned (user → orders → items), so only parameterless queries count as
// independent. HTTP/RPC calls to different targets do count.
bool may_depend_on_earlier(const Context& ctx, std::int32_t c) {
    if (ctx.call[static_cast<std::size_t>(c)] != CallKind::db) return false;
    const std::int32_t shape = ctx.shape[static_cast<std::size_t>(c)];
    return shape != kNoShape && ctx.shape_has_inputs[static_cast<std::size_t>(shape)];
}

class RunBuilder {
public:
    RunBuilder(const Context& ctx, std::int32_t parent, std::vector<Finding>& out)
        : ctx_(ctx), parent_(parent), out_(out) {}

    // Feeds the parent's children in start order.
    void add(std::int32_t c) {
        const auto& lim = ctx_.limits;
        if (ctx_.call[static_cast<std::size_t>(c)] == CallKind::none) {
            return;
        }
        // A write is a barrier: what follows it may depend on it; so is a dependent query.
        if (!looks_like_read(ctx_, c) || may_depend_on_earlier(ctx_, c)) {
            flush();
            return;
        }
        const Span& s = ctx_.tree.span(c);
        if (to_ms(s.duration_us) < lim.sequential_min_span_ms) {
            return;
        }
        const std::int32_t shape = ctx_.shape[static_cast<std::size_t>(c)];
        // Overlap means they already run concurrently; a long pause or a repeated target (that
        // is the N+1 shape) starts a new run.
        if (!run_.empty() &&
            (s.start_us < run_end_ || to_ms(s.start_us - run_end_) > lim.sequential_max_gap_ms ||
             shapes_.count(shape) > 0)) {
            flush();
        }
        run_.push_back(c);
        shapes_.insert(shape);
        run_end_ = std::max(run_end_, s.end_us());
    }

    void flush() {
        // Two calls at least, whatever the limit says: one call is not a sequence.
        const int min_count = std::max(2, ctx_.limits.sequential_min_count);
        if (run_.size() >= static_cast<std::size_t>(min_count)) {
            report();
        }
        run_.clear();
        shapes_.clear();
        run_end_ = 0;
    }

private:
    void report() {
        std::int64_t sum_us = 0;
        std::int64_t max_us = 0;
        std::string targets;
        for (const std::int32_t i : run_) {
            sum_us += ctx_.tree.span(i).duration_us;
            max_us = std::max(max_us, ctx_.tree.span(i).duration_us);
            targets += (targets.empty() ? "" : " → ");
            targets += shorten(
                ctx_.shapes[static_cast<std::size_t>(ctx_.shape[static_cast<std::size_t>(i)])], 60
            );
        }
        // Run concurrently, the calls take as long as the longest one; the gaps between them
        // (code that may prepare the next call) are not claimed.
        const double saving = to_ms(sum_us - max_us);
        if (saving < ctx_.limits.sequential_min_saving_ms) {
            return;
        }
        Finding f = make_finding(ctx_.tree, "sequential_calls", run_, parent_);
        f.total_ms = to_ms(sum_us);
        f.saving_ms = saving;
        f.statement = targets;
        f.summary = fmt::format(
            "{} independent calls under {} run one after another ({}): {} in sequence, about {} "
            "if run concurrently",
            run_.size(),
            span_label(ctx_.tree, parent_),
            shorten(targets, 160),
            fmt_ms(f.total_ms),
            fmt_ms(to_ms(max_us))
        );
        f.suggestion =
            "if they do not depend on each other's results, run these calls concurrently (async "
            "requests, futures, a parallel fetch)";
        out_.push_back(std::move(f));
    }

    const Context& ctx_;
    std::int32_t parent_;
    std::vector<Finding>& out_;
    std::vector<std::int32_t> run_;
    std::unordered_set<std::int32_t> shapes_;
    std::int64_t run_end_ = 0;
};

}  // namespace

void detect_sequential_calls(const Context& ctx, std::vector<Finding>& out) {
    const auto min_count = static_cast<std::size_t>(std::max(1, ctx.limits.sequential_min_count));
    for (std::size_t p = 0; p < ctx.tree.size(); ++p) {
        const auto parent = static_cast<std::int32_t>(p);
        if (ctx.tree.children(parent).size() < min_count) {
            continue;
        }
        RunBuilder runs(ctx, parent, out);
        for (const std::int32_t c : ctx.tree.children(parent)) {
            runs.add(c);
        }
        runs.flush();
    }
}

}  // namespace nra::detect
