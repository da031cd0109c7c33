// retries: the same call (same parent, same exact statement or URL) made again right after a
// failed attempt.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

// Attempts run one after the other; 1 ms of slack absorbs rounding of start and duration.
constexpr std::int64_t kSlackUs = 1000;

bool follows(const Span& next, const Span& failed) {
    return next.start_us >= failed.end_us() - kSlackUs;
}

// Fills summary and suggestion; f.count attempts, f.saving_ms already set.
void describe(Finding& f, const std::string& what, const Span& first, bool recovered) {
    const auto n = static_cast<std::size_t>(f.count);
    if (recovered) {
        f.summary = fmt::format(
            "{} was tried {} times: {} failed attempt{} ({}) cost {} before one succeeded",
            what,
            n,
            n - 1,
            n == 2 ? "" : "s",
            failure_reason(first),
            fmt_ms(f.saving_ms)
        );
        f.suggestion =
            "find out why the first attempt fails; if the failure is transient, a shorter "
            "timeout or back-off recovers sooner, otherwise fix the cause";
        return;
    }
    f.summary = fmt::format(
        "{} was tried {} times and every attempt failed ({}); {} spent before the last attempt",
        what,
        n,
        failure_reason(first),
        fmt_ms(f.saving_ms)
    );
    f.suggestion =
        "retrying did not help: find the cause of the failure; until then fail fast (or open a "
        "circuit breaker) instead of adding the retries' latency";
}

void report(
    const Context& ctx,
    const Group& g,
    std::size_t first,
    std::size_t last,
    std::vector<Finding>& out
) {
    const std::vector<std::int32_t> attempts(
        g.spans.begin() + static_cast<std::ptrdiff_t>(first),
        g.spans.begin() + static_cast<std::ptrdiff_t>(last) + 1
    );
    const Span& a0 = ctx.tree.span(attempts.front());
    const Span& an = ctx.tree.span(attempts.back());
    const bool recovered = !attempt_failed(an);
    Finding f = make_finding(ctx.tree, "retries", attempts, g.parent);
    f.total_ms = to_ms(an.end_us() - a0.start_us);
    // Without the failures the call would have started where the last attempt did: the failed
    // attempts and the waits between them are the cost.
    f.saving_ms = to_ms(an.start_us - a0.start_us);
    f.statement = ctx.shapes[static_cast<std::size_t>(g.shape)];
    const std::string what =
        fmt::format("{} under {}", quoted(f.statement), span_label(ctx.tree, g.parent));
    describe(f, what, a0, recovered);
    out.push_back(std::move(f));
}

// A long run of the same shape where most calls succeed is a loop over items (an N+1), not a
// retry: with placeholders (`WHERE id = ?`) one failed item and the next look identical.
bool is_loop(const Context& ctx, const Group& g) {
    const auto min_loop = static_cast<std::size_t>(std::max(
        2, std::min(ctx.limits.n_plus_one_db_min_count, ctx.limits.n_plus_one_http_min_count)
    ));
    if (g.spans.size() < min_loop) return false;
    const auto failed = std::count_if(g.spans.begin(), g.spans.end(), [&](std::int32_t i) {
        return attempt_failed(ctx.tree.span(i));
    });
    return static_cast<std::size_t>(failed) * 2 < g.spans.size();
}

void scan_group(const Context& ctx, const Group& g, std::vector<Finding>& out) {
    if (is_loop(ctx, g)) return;
    const std::size_t n = g.spans.size();
    std::size_t k = 0;
    while (k < n) {
        const Span& first = ctx.tree.span(g.spans[k]);
        if (!attempt_failed(first)) {
            ++k;
            continue;
        }
        std::size_t j = k;
        while (j + 1 < n && attempt_failed(ctx.tree.span(g.spans[j])) &&
               same_call(ctx.tree.span(g.spans[j + 1]), first) &&
               follows(ctx.tree.span(g.spans[j + 1]), ctx.tree.span(g.spans[j]))) {
            ++j;
        }
        // One attempt alone is a failure, not a retry: at least two attempts whatever the limit.
        const int min_attempts = std::max(2, ctx.limits.retries_min_attempts);
        if (j - k + 1 >= static_cast<std::size_t>(min_attempts)) {
            report(ctx, g, k, j, out);
        }
        k = j + 1;
    }
}

}  // namespace

void detect_retries(const Context& ctx, std::vector<Finding>& out) {
    static constexpr std::array<CallKind, 3> kKinds{CallKind::db, CallKind::http, CallKind::other};
    for (std::size_t p = 0; p < ctx.tree.size(); ++p) {
        const auto parent = static_cast<std::int32_t>(p);
        if (ctx.tree.children(parent).size() < 2) {
            continue;
        }
        for (const CallKind kind : kKinds) {
            for (const Group& g : group_children(ctx, parent, kind)) {
                scan_group(ctx, g, out);
            }
        }
    }
}

}  // namespace nra::detect
