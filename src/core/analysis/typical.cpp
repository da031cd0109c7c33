// Comparison with a typical request and the changes around it (rules in typical.hpp).
#include "nra/analysis/typical.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "nra/analysis/analysis.hpp"
#include "nra/analysis/summary.hpp"
#include "nra/statement.hpp"

namespace nra {
namespace {

constexpr std::size_t kMaxDeploymentsPerService = 3;

// What one operation did in one trace.
struct OpStat {
    std::string service, name, caller;
    std::string parent_key;  // the operation of its first span's parent ("" for the root)
    int count = 0;
    bool failed = false;  // one of its spans failed
    double path_ms = 0;
    std::string span_id;  // its first span
};
using Ops = std::map<std::string, OpStat>;

std::string op_key(const Span& span) {
    std::string key = std::string(span.service) + '\x1f' + std::string(span.name);
    if (!span.db_statement.empty()) key += '\x1f' + normalize_statement(span.db_statement);
    return key;
}

Ops operations(const TraceTree& tree) {
    Ops ops;
    std::vector<std::string> keys(tree.size());
    for (std::size_t i = 0; i < tree.size(); ++i) {
        keys[i] = op_key(tree.span(static_cast<std::int32_t>(i)));
    }
    for (std::size_t i = 0; i < tree.size(); ++i) {
        const Span& span = tree.span(static_cast<std::int32_t>(i));
        auto& op = ops[keys[i]];
        op.failed = op.failed || span.error;
        if (op.count++ > 0) continue;
        op.service = std::string(span.service);
        op.name = std::string(span.name);
        op.span_id = std::string(span.span_id);
        const auto parent = tree.parent[i];
        op.caller = parent >= 0 ? std::string(tree.span(parent).service) : op.service;
        if (parent >= 0) op.parent_key = keys[static_cast<std::size_t>(parent)];
    }
    for (const auto& section : critical_path(tree)) {
        ops[keys[static_cast<std::size_t>(section.span)]].path_ms +=
            to_ms(section.end_us - section.start_us);
    }
    return ops;
}

double root_ms(const TraceTree& tree) {
    return tree.root < 0 ? 0.0 : to_ms(tree.span(tree.root).duration_us);
}

bool structural(TypicalDiff::Kind kind) {
    using K = TypicalDiff::Kind;
    return kind == K::extra || kind == K::missing || kind == K::more || kind == K::fewer;
}

// The entry for an operation seen on both sides, or nullopt when nothing differs enough.
std::optional<TypicalDiff::Kind> kind_of(const OpStat& here, const OpStat& typical, double delta) {
    using K = TypicalDiff::Kind;
    if (here.count >= 2 * typical.count && here.count - typical.count >= 2) return K::more;
    if (typical.count >= 2 * here.count && typical.count - here.count >= 2) return K::fewer;
    if (delta >= kTypicalMinDeltaMs) return K::slower;
    if (delta <= -kTypicalMinDeltaMs) return K::faster;
    return std::nullopt;
}

TypicalDiff entry(TypicalDiff::Kind kind, const OpStat& op, int count, int typical_count) {
    TypicalDiff d;
    d.kind = kind;
    d.service = op.service;
    d.operation = op.name;
    d.caller = op.caller;
    d.count = count;
    d.typical_count = typical_count;
    d.span_id = op.span_id;
    return d;
}

// Structural cuts first (by time), then time differences (by size), then what lies under a cut.
int rank_of(const TypicalDiff& d) {
    if (structural(d.kind)) return d.top ? 0 : 2;
    return 1;
}

// Where services report their version, most specific first.
constexpr std::array<std::string_view, 4> kVersionKeys{
    "service.version", "tags.version", "app.version", "tags.appVersion"};

// The first version key a span carries, by kVersionKeys' order; empty when none.
std::string_view version_of(const Span& span) {
    for (const auto key : kVersionKeys) {
        if (const auto v = attribute(span, key); !v.empty()) return v;
    }
    return {};
}

}  // namespace

std::string_view to_string(TypicalDiff::Kind kind) {
    switch (kind) {
        case TypicalDiff::Kind::extra:
            return "extra";
        case TypicalDiff::Kind::missing:
            return "missing";
        case TypicalDiff::Kind::more:
            return "more";
        case TypicalDiff::Kind::fewer:
            return "fewer";
        case TypicalDiff::Kind::faster:
            return "faster";
        case TypicalDiff::Kind::slower:
            break;
    }
    return "slower";
}

TypicalComparison compare_with_typical(
    const TraceTree& here, const TraceTree& typical, std::string typical_trace_id
) {
    using K = TypicalDiff::Kind;
    TypicalComparison out;
    out.trace_id = std::move(typical_trace_id);
    if (typical.root >= 0) out.endpoint = std::string(typical.span(typical.root).name);
    out.duration_ms = root_ms(typical);
    const Ops mine = operations(here);
    const Ops theirs = operations(typical);
    // The critical path covers the root's duration, or more when work outlives the root (a
    // consumer): the difference of its lengths is what the parts add up to.
    const auto length = [](const Ops& ops) {
        double sum = 0;
        for (const auto& [key, op] : ops) sum += op.path_ms;
        return sum;
    };
    out.difference_ms = length(mine) - length(theirs);
    std::vector<TypicalDiff> all;
    std::size_t shared = 0;
    for (const auto& [key, op] : mine) {
        const auto other = theirs.find(key);
        if (other == theirs.end()) {
            auto d = entry(K::extra, op, op.count, 0);
            d.delta_ms = op.path_ms;
            d.top = op.parent_key.empty() || theirs.contains(op.parent_key);
            all.push_back(std::move(d));
            continue;
        }
        ++shared;
        const double delta = op.path_ms - other->second.path_ms;
        const auto kind = kind_of(op, other->second, delta);
        if (!kind) {
            out.other_ms += delta;
            continue;
        }
        auto d = entry(*kind, op, op.count, other->second.count);
        d.delta_ms = delta;
        all.push_back(std::move(d));
    }
    for (const auto& [key, op] : theirs) {
        if (mine.contains(key)) continue;
        auto d = entry(K::missing, op, 0, op.count);
        d.delta_ms = -op.path_ms;
        const auto parent = mine.find(op.parent_key);
        d.top = op.parent_key.empty() || parent != mine.end();
        d.after_failure = parent != mine.end() && parent->second.failed;
        all.push_back(std::move(d));
    }
    const std::size_t union_size = mine.size() + theirs.size() - shared;
    out.similar_shape = union_size == 0 || 2 * shared >= union_size;
    std::stable_sort(all.begin(), all.end(), [](const TypicalDiff& a, const TypicalDiff& b) {
        if (rank_of(a) != rank_of(b)) return rank_of(a) < rank_of(b);
        return std::abs(a.delta_ms) > std::abs(b.delta_ms);
    });
    for (auto& d : all) {
        if (out.diff.size() < kTypicalMaxDiff) {
            out.diff.push_back(std::move(d));
        } else {
            out.other_ms += d.delta_ms;
        }
    }
    return out;
}

std::string unfit_as_typical(const TraceTree& here, const TraceTree& candidate) {
    if (candidate.root < 0) return "it has no spans";
    if (here.root < 0) return "this request has no root";
    const Span& mine = here.span(here.root);
    const Span& theirs = candidate.span(candidate.root);
    if (mine.trace_id == theirs.trace_id && !mine.trace_id.empty()) return "it is this request";
    if (mine.service != theirs.service || mine.name != theirs.name) {
        return "its entry point is another endpoint";
    }
    return any_span_failed(candidate) ? "it failed too" : std::string();
}

bool any_span_failed(const TraceTree& tree) {
    return std::any_of(tree.trace.spans.begin(), tree.trace.spans.end(), [](const Span& s) {
        return s.error;
    });
}

std::vector<std::pair<std::string, std::string>> service_versions(const TraceTree& tree) {
    // Per service, the version most of its spans report (ties: the smaller text), so one odd
    // span does not make a change.
    std::map<std::string, std::map<std::string, int>> seen;
    for (const auto& span : tree.trace.spans) {
        if (const auto v = version_of(span); !v.empty()) {
            ++seen[std::string(span.service)][std::string(v.substr(0, 80))];
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [service, versions] : seen) {
        const auto top =
            std::max_element(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
                return a.second < b.second;
            });
        out.emplace_back(service, top->first);
    }
    return out;
}

std::vector<TraceChange> judge_changes(
    const std::vector<DeploymentEvent>& deployments, const TraceTree& here, const TraceTree* typical
) {
    std::set<std::string> services;
    std::int64_t end_ms = 0;
    for (const auto& span : here.trace.spans) {
        services.insert(std::string(span.service));
        end_ms = std::max(end_ms, span.end_us() / 1000);
    }
    std::vector<const DeploymentEvent*> ordered;
    for (const auto& d : deployments) {
        if (services.contains(d.service) && d.at_ms <= end_ms) ordered.push_back(&d);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
        return a->at_ms > b->at_ms;
    });
    std::vector<TraceChange> out;
    std::map<std::string, std::size_t> per_service;
    for (const auto* d : ordered) {
        if (per_service[d->service]++ >= kMaxDeploymentsPerService) continue;
        out.push_back({d->service, "deployment", d->at_ms, d->version, {}, d->description});
    }
    if (typical == nullptr) return out;
    const auto listed = service_versions(*typical);
    const std::map<std::string, std::string> before(listed.begin(), listed.end());
    for (const auto& [service, version] : service_versions(here)) {
        const auto it = before.find(service);
        if (it == before.end() || it->second == version) continue;
        out.push_back({service, "version", std::nullopt, version, it->second, {}});
    }
    return out;
}

void apply_comparison(
    Summary& summary,
    const TraceTree& here,
    const TraceTree* typical,
    const std::vector<DeploymentEvent>& deployments
) {
    if (typical != nullptr) {
        summary.typical =
            compare_with_typical(here, *typical, std::string(typical->trace.trace_id));
    }
    summary.changes = judge_changes(deployments, here, typical);
    if (summary.typical || !summary.changes.empty()) {
        summary.suspects = find_suspects(summary, here, summary.suspects_note);
    }
}

}  // namespace nra
