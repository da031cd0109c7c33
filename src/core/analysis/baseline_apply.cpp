// Baselines on a summary. Unusual time is attributed bottom-up over the tree so that a parent
// that is slow only because its child was slow is not counted twice:
//   excess(s)   = duration − p50 for a span judged slower, else 0;
//   carried(s)  = what s explains to its ancestors: max(excess, carried by its on-path children)
//                 when slower, 0 when normal or faster (it took its usual time), and the
//                 children's carried excess when it has no baseline;
//   unusual(s)  = min(time s itself holds the critical path, excess − carried by its children).
// The sum over spans never exceeds the request's duration, because each span's share is capped
// by its own time on the critical path, and those times add up to the root's duration.
#include "nra/analysis/baseline_apply.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "nra/analysis/analysis.hpp"
#include "summarize_parts.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxUnusual = 10;
constexpr double kMinUnusualMs = 0.5;

using StatsKey = std::tuple<std::string_view, std::string_view, std::string_view>;
using StatsIndex = std::map<StatsKey, const BaselineStats*>;

StatsIndex index_stats(const std::vector<BaselineStats>& stats) {
    StatsIndex out;
    for (const auto& s : stats) out.emplace(StatsKey(s.key.service, s.key.name, s.key.callee), &s);
    return out;
}

// The usual durations of calls to the same callee when known, else of every (service, name).
// Calls to a callee with too few samples of their own fall back to the pair's.
const BaselineStats* stats_for(
    const StatsIndex& index, const Span& span, const BaselineOptions& options
) {
    if (const auto callee = callee_key(span); !callee.empty()) {
        const auto it = index.find({span.service, span.name, callee});
        if (it != index.end() && it->second->count >= options.min_samples) return it->second;
    }
    const auto it = index.find({span.service, span.name, std::string_view()});
    return it == index.end() ? nullptr : it->second;
}

// The verdict of every span, and its share of unusual time.
struct Judged {
    std::vector<Baseline> spans;
    std::vector<double> on_path_ms;
};

Baseline judge_span(const Span& sp, const BaselineStats* stats, const BaselineOptions& options) {
    Baseline b;
    b.duration_ms = to_ms(sp.duration_us);
    b.verdict = judge_duration(b.duration_ms, stats, options);
    if (stats != nullptr) b.count = stats->count;
    if (stats == nullptr || b.verdict == BaselineVerdict::no_baseline) return b;
    b.p50_ms = *stats->p50_ms;
    b.p90_ms = stats->p90_ms.value_or(b.p50_ms);
    b.p99_ms = stats->p99_ms.value_or(b.p90_ms);
    b.ratio = b.duration_ms / b.p50_ms;
    return b;
}

void attribute_unusual(const TraceTree& tree, Judged& j) {
    const auto n = tree.size();
    std::vector<double> carried(n, 0.0);
    std::vector<char> on_path(n, 0);
    for (auto k = tree.order.size(); k-- > 0;) {  // children before parents
        const auto i = static_cast<std::size_t>(tree.order[k]);
        double from_children = 0;
        bool below = j.on_path_ms[i] > 0;
        for (const auto c : tree.children(static_cast<std::int32_t>(i))) {
            const auto ci = static_cast<std::size_t>(c);
            if (on_path[ci] == 0) continue;
            below = true;
            from_children += carried[ci];
        }
        on_path[i] = below ? 1 : 0;
        Baseline& b = j.spans[i];
        if (b.verdict == BaselineVerdict::slower) {
            const double excess = b.duration_ms - b.p50_ms;
            b.unusual_ms = std::clamp(excess - from_children, 0.0, j.on_path_ms[i]);
            carried[i] = std::max(excess, from_children);
        } else {
            carried[i] = b.verdict == BaselineVerdict::no_baseline ? from_children : 0.0;
        }
    }
}

Judged judge_all(
    const TraceTree& tree,
    const std::vector<CriticalSection>& sections,
    const std::vector<BaselineStats>& stats,
    const BaselineOptions& options
) {
    const auto index = index_stats(stats);
    Judged j;
    j.spans.reserve(tree.size());
    for (const auto& sp : tree.trace.spans)
        j.spans.push_back(judge_span(sp, stats_for(index, sp, options), options));
    j.on_path_ms.assign(tree.size(), 0.0);
    for (const auto& sec : sections) {
        j.on_path_ms[static_cast<std::size_t>(sec.span)] += to_ms(sec.end_us - sec.start_us);
    }
    attribute_unusual(tree, j);
    return j;
}

// The row's baseline: that of its longest slower span when it has one, else of its longest
// span; unusual time summed over the folded spans.
Baseline row_baseline(const std::vector<std::int32_t>& group, const Judged& j) {
    if (group.empty()) return {};
    const Baseline* pick = &j.spans[static_cast<std::size_t>(group.front())];
    double unusual = 0;
    for (const auto i : group) {
        const auto& b = j.spans[static_cast<std::size_t>(i)];
        unusual += b.unusual_ms;
        const bool b_slower = b.verdict == BaselineVerdict::slower;
        const bool pick_slower = pick->verdict == BaselineVerdict::slower;
        if ((b_slower && !pick_slower) ||
            (b_slower == pick_slower && b.duration_ms > pick->duration_ms)) {
            pick = &b;
        }
    }
    Baseline out = *pick;
    out.unusual_ms = unusual;
    return out;
}

// Findings about time (not errors) are judged by their spans and those spans' parents.
bool about_time(const std::string& kind) {
    return kind == "n_plus_one_db" || kind == "n_plus_one_http" || kind == "sequential_calls" ||
           kind == "slow_db" || kind == "uninstrumented_gap";
}

FindingContext context_of(
    const Finding& f,
    const TraceTree& tree,
    const std::unordered_map<std::string_view, std::int32_t>& ids,
    const Judged& j
) {
    if (!about_time(f.kind)) return FindingContext::unknown;
    bool judged = false;
    for (const auto& id : f.span_ids) {
        const auto it = ids.find(id);
        if (it == ids.end()) continue;
        const auto parent = tree.parent[static_cast<std::size_t>(it->second)];
        for (const auto i : {it->second, parent}) {
            if (i < 0) continue;
            const auto v = j.spans[static_cast<std::size_t>(i)].verdict;
            if (v == BaselineVerdict::slower) return FindingContext::unusual;
            judged = judged || v != BaselineVerdict::no_baseline;
        }
    }
    return judged ? FindingContext::standing : FindingContext::unknown;
}

int context_rank(FindingContext c) {
    return c == FindingContext::unusual ? 0 : c == FindingContext::unknown ? 1 : 2;
}

// One entry per (service, name): retries and loops of one operation read as one cause.
void add_unusual(BaselineOverview& o, const Span& sp, const Baseline& b) {
    const auto same = std::find_if(o.unusual.begin(), o.unusual.end(), [&sp](const auto& u) {
        return u.service == sp.service && u.name == sp.name;
    });
    if (same == o.unusual.end()) {
        o.unusual.push_back(
            {std::string(sp.span_id), std::string(sp.service), std::string(sp.name), b}
        );
        return;
    }
    const double unusual = same->baseline.unusual_ms + b.unusual_ms;
    if (b.duration_ms > same->baseline.duration_ms) {
        same->baseline = b;
        same->span_id = std::string(sp.span_id);
    }
    same->baseline.unusual_ms = unusual;
    ++same->spans;
}

// The span index of every id the summary names apart from the critical path (slow spans,
// findings; all segments too when they no longer match the sections): one pass over the spans
// against those few ids rather than an index of every span.
std::unordered_map<std::string_view, std::int32_t> named_spans(
    const Summary& summary, const TraceTree& tree, bool with_segments
) {
    std::unordered_map<std::string_view, std::int32_t> wanted;
    for (const auto& slow : summary.slow_spans) wanted.emplace(slow.span_id, -1);
    for (const auto& f : summary.findings) {
        for (const auto& id : f.span_ids) wanted.emplace(id, -1);
    }
    if (with_segments) {
        for (const auto& seg : summary.critical_path) wanted.emplace(seg.span_id, -1);
    }
    for (std::size_t i = 0; i < tree.size() && !wanted.empty(); ++i) {
        const auto it = wanted.find(tree.span(static_cast<std::int32_t>(i)).span_id);
        if (it != wanted.end() && it->second < 0) it->second = static_cast<std::int32_t>(i);
    }
    std::erase_if(wanted, [](const auto& entry) { return entry.second < 0; });
    return wanted;
}

void fill_overview(
    Summary& summary, const TraceTree& tree, const Judged& j, std::vector<char>& considered
) {
    auto& o = summary.baseline;
    o.state = BaselineOverview::State::applied;
    o.note.clear();
    considered[static_cast<std::size_t>(tree.root)] = 1;
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const auto& b = j.spans[i];
        o.unusual_ms += b.unusual_ms;
        if (b.unusual_ms >= kMinUnusualMs)
            add_unusual(o, tree.span(static_cast<std::int32_t>(i)), b);
        if (considered[i] == 0 || b.verdict == BaselineVerdict::no_baseline) continue;
        ++o.judged_spans;
        if (b.verdict == BaselineVerdict::slower) ++o.slower_spans;
    }
    o.unusual_ms = std::min(o.unusual_ms, summary.duration_ms);
    std::stable_sort(o.unusual.begin(), o.unusual.end(), [](const auto& a, const auto& b) {
        return a.baseline.unusual_ms > b.baseline.unusual_ms;
    });
    if (o.unusual.size() > kMaxUnusual) o.unusual.resize(kMaxUnusual);
    const auto& root = j.spans[static_cast<std::size_t>(tree.root)];
    if (root.verdict != BaselineVerdict::no_baseline) o.request = root;
}

}  // namespace

std::vector<BaselineKey> baseline_keys(const Summary& summary, std::size_t max_keys) {
    std::vector<BaselineKey> keys;
    auto add = [&keys, max_keys](const std::string& service, const std::string& name) {
        if (keys.size() >= max_keys || name.empty()) return;
        BaselineKey key{service, name};
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
    };
    add(summary.root.service, summary.root.name);
    // Critical-path pairs by their total time on the path, longest first.
    std::map<std::pair<std::string, std::string>, double> on_path;
    for (const auto& seg : summary.critical_path)
        on_path[{seg.service, seg.name}] += seg.duration_ms;
    std::vector<std::pair<std::pair<std::string, std::string>, double>> ranked(
        on_path.begin(), on_path.end()
    );
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second > b.second;
    });
    for (const auto& [pair, ms] : ranked) add(pair.first, pair.second);
    for (const auto& slow : summary.slow_spans) add(slow.service, slow.name);
    return keys;
}

std::vector<BaselineKey> baseline_keys(
    const Summary& summary, const TraceTree& tree, std::size_t max_keys
) {
    // The callees of the spans behind each pair (critical path and slow spans).
    std::map<std::pair<std::string, std::string>, std::set<std::string>> callees;
    std::set<std::string_view> ids;
    for (const auto& seg : summary.critical_path) ids.insert(seg.span_id);
    for (const auto& slow : summary.slow_spans) ids.insert(slow.span_id);
    for (const auto& span : tree.trace.spans) {
        if (!ids.contains(span.span_id)) continue;
        if (auto callee = callee_key(span); !callee.empty()) {
            callees[{std::string(span.service), std::string(span.name)}].insert(std::move(callee));
        }
    }
    // Every bare pair first (the fallback, and the critical path's pairs before anything), then
    // at most kCalleesPerPair callees of each pair in the room left.
    constexpr std::size_t kCalleesPerPair = 3;
    auto out = baseline_keys(summary, max_keys);
    out.reserve(max_keys);
    const std::size_t bare = out.size();
    for (std::size_t i = 0; i < bare && out.size() < max_keys; ++i) {
        const auto it = callees.find({out[i].service, out[i].name});
        if (it == callees.end()) continue;
        std::size_t added = 0;
        for (const auto& callee : it->second) {
            if (added++ >= kCalleesPerPair || out.size() >= max_keys) break;
            BaselineKey key{out[i].service, out[i].name, callee};
            out.push_back(std::move(key));
        }
    }
    return out;
}

void apply_baselines(
    Summary& summary,
    const TraceTree& tree,
    const std::vector<BaselineStats>& stats,
    const BaselineOptions& options,
    std::string window
) {
    summary.baseline = BaselineOverview{};
    summary.baseline.window = std::move(window);
    if (tree.root < 0) {
        mark_no_baseline(summary, BaselineOverview::State::unavailable, "the trace has no spans.");
        return;
    }
    const auto sections = critical_path(tree);
    const Judged j = judge_all(tree, sections, stats, options);
    // Segments are the sections, in the same order (summarize made one from each).
    const bool aligned = sections.size() == summary.critical_path.size();
    const auto ids = named_spans(summary, tree, !aligned);
    std::vector<char> considered(tree.size(), 0);
    auto baseline_at = [&](std::int32_t i) {
        considered[static_cast<std::size_t>(i)] = 1;
        return j.spans[static_cast<std::size_t>(i)];
    };
    for (std::size_t k = 0; k < summary.critical_path.size(); ++k) {
        auto& seg = summary.critical_path[k];
        const auto it = aligned ? ids.end() : ids.find(seg.span_id);
        if (aligned) {
            seg.baseline = baseline_at(sections[k].span);
        } else if (it != ids.end()) {
            seg.baseline = baseline_at(it->second);
        }
    }
    for (auto& slow : summary.slow_spans) {
        if (const auto it = ids.find(slow.span_id); it != ids.end()) {
            slow.baseline = baseline_at(it->second);
        }
    }
    const auto groups = summary_parts::path_row_spans(tree, sections);
    for (std::size_t r = 0; r < summary.path_rows.size() && r < groups.size(); ++r) {
        summary.path_rows[r].baseline = row_baseline(groups[r], j);
    }
    for (auto& f : summary.findings) f.context = context_of(f, tree, ids, j);
    std::stable_sort(
        summary.findings.begin(),
        summary.findings.end(),
        [](const auto& a, const auto& b) {
            return context_rank(a.context) < context_rank(b.context);
        }
    );
    fill_overview(summary, tree, j, considered);
    summary.suspects = find_suspects(summary, tree, summary.suspects_note);  // with latency now
}

void mark_no_baseline(Summary& summary, BaselineOverview::State state, std::string note) {
    auto window = std::move(summary.baseline.window);
    summary.baseline = BaselineOverview{};
    summary.baseline.state = state;
    summary.baseline.note = std::move(note);
    summary.baseline.window = std::move(window);
    for (auto& seg : summary.critical_path) seg.baseline.reset();
    for (auto& row : summary.path_rows) row.baseline.reset();
    for (auto& slow : summary.slow_spans) slow.baseline.reset();
    for (auto& f : summary.findings) f.context = FindingContext::unknown;
}

}  // namespace nra
