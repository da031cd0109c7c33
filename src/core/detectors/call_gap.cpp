// call_gap: a client span that waited much longer than its server span worked. The difference is
// time between caller and callee — the network, or queueing before the callee's handler (a full
// thread pool, CPU contention) — so it is the callee's side, not code in the caller. When every
// cross-service call of a caller lost time (two callees or more), the caller itself is starved
// (CPU, threads, a connection pool) and gets it. One finding per (caller, credited service).
#include <fmt/format.h>

#include <map>
#include <set>

#include "detector_util.hpp"

namespace nra::detect {
namespace {

struct Lost {
    std::int32_t client = -1;
    std::int32_t server = -1;
    double ms = 0;
};

std::vector<Lost> lost_calls(const Context& ctx) {
    std::vector<Lost> out;
    const auto& tree = ctx.tree;
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(tree.size()); ++i) {
        const auto server = server_side(tree, i);
        if (server < 0) continue;
        const double ms = to_ms(tree.span(i).duration_us - tree.span(server).duration_us);
        if (ms >= ctx.limits.call_gap_min_ms &&
            ms >= ctx.limits.call_gap_min_share * to_ms(tree.span(i).duration_us)) {
            out.push_back({i, server, ms});
        }
    }
    return out;
}

// Callers all of whose cross-service calls (to two callees or more) lost time.
std::set<std::string_view> starved_callers(const Context& ctx, const std::vector<Lost>& lost) {
    const auto& tree = ctx.tree;
    std::map<std::string_view, std::set<std::string_view>> slow;
    for (const auto& l : lost)
        slow[tree.span(l.client).service].insert(tree.span(l.server).service);
    std::map<std::string_view, std::set<std::string_view>> all;
    for (std::int32_t i = 0; i < static_cast<std::int32_t>(tree.size()); ++i) {
        const auto server = server_side(tree, i);
        if (server >= 0) all[tree.span(i).service].insert(tree.span(server).service);
    }
    std::set<std::string_view> out;
    for (const auto& [caller, callees] : slow) {
        if (callees.size() >= 2 && callees == all[caller]) out.insert(caller);
    }
    return out;
}

}  // namespace

void detect_call_gap(const Context& ctx, std::vector<Finding>& out) {
    const auto& tree = ctx.tree;
    const auto lost = lost_calls(ctx);
    const auto starved = starved_callers(ctx, lost);
    std::map<std::pair<std::string_view, std::string_view>, std::vector<Lost>> groups;
    for (const auto& l : lost) {
        groups[{tree.span(l.client).service, tree.span(l.server).service}].push_back(l);
    }
    for (const auto& [pair, calls] : groups) {
        const auto [caller, callee] = pair;
        const bool caller_starved = starved.contains(caller);
        std::vector<std::int32_t> spans;
        double total = 0;
        double waited = 0;
        double worked = 0;
        for (const auto& l : calls) {
            spans.push_back(l.client);
            spans.push_back(l.server);
            total += l.ms;
            waited += to_ms(tree.span(l.client).duration_us);
            worked += to_ms(tree.span(l.server).duration_us);
        }
        Finding f = make_finding(tree, "call_gap", spans);
        f.service = std::string(caller_starved ? caller : callee);
        f.total_ms = total;
        f.saving_ms = total;
        f.statement = std::string(tree.span(calls.front().server).name);
        f.summary = fmt::format(
            "{} lost between {} and {} in {} call{}: {} waited {}, {} worked {} — {}",
            fmt_ms(total),
            quoted(caller),
            quoted(callee),
            calls.size(),
            calls.size() == 1 ? "" : "s",
            quoted(caller),
            fmt_ms(waited),
            quoted(callee),
            fmt_ms(worked),
            caller_starved ? "all of its outbound calls lost time: the caller itself is starved"
                           : "network, or queueing before its handler"
        );
        f.suggestion =
            caller_starved
                ? "look at the caller's CPU, threads and connection pool: every call it makes "
                  "waits before it leaves or after it returns"
                : "look at the callee's inbound side: network between the two, its request "
                  "queue and thread pool, its CPU; its handler itself was fast";
        out.push_back(std::move(f));
    }
}

}  // namespace nra::detect

namespace nra {

bool calls_out(const Span& span) {
    return span.kind == SpanKind::client || span.kind == SpanKind::producer ||
           (span.kind == SpanKind::unspecified && span.category == SpanCategory::http);
}

std::int32_t server_side(const TraceTree& tree, std::int32_t i) {
    const Span& client = tree.span(i);
    if (!calls_out(client)) return -1;
    std::int32_t best = -1;
    for (const auto c : tree.children(i)) {
        const Span& child = tree.span(c);
        if (child.service == client.service || !tree.is_blocking(c)) continue;
        if (best < 0 || child.duration_us > tree.span(best).duration_us) best = c;
    }
    return best;
}

}  // namespace nra
