// Aggregating the suspects of a window of traces (rules in incident.hpp and docs/incidents.md).
#include "nra/analysis/incident.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "nra/analysis/typical.hpp"

namespace nra {
namespace {

constexpr double kMinScore = 0.05;  // a twentieth of one request, over the whole window
constexpr std::size_t kMaxChanges = 10;

struct Vote {
    double share = 0;
    std::string trace_id;
    SuspectEvidence evidence;
};

struct Tally {
    double score = 0, excess_ms = 0;
    int traces_with = 0;
    std::map<SuspectKind, double> kinds;
    std::map<std::string, double> operations;
    std::vector<Vote> votes;
};

template <class K>
K heaviest(const std::map<K, double>& weights) {
    return std::max_element(
               weights.begin(),
               weights.end(),
               [](const auto& a, const auto& b) { return a.second < b.second; }
    )->first;
}

double median_of(std::vector<double> values) {
    if (values.empty()) return 0;
    const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

std::vector<IncidentEndpoint> endpoints_of(const std::vector<const Summary*>& traces) {
    std::map<std::pair<std::string, std::string>, std::vector<const Summary*>> groups;
    for (const auto* s : traces) groups[{s->root.service, s->root.name}].push_back(s);
    std::vector<IncidentEndpoint> out;
    for (const auto& [key, members] : groups) {
        IncidentEndpoint e;
        e.service = key.first;
        e.name = key.second;
        std::vector<double> durations;
        for (const auto* s : members) {
            ++e.traces;
            if (!s->errors.empty()) ++e.failed;
            if (s->baseline.request && s->baseline.request->verdict == BaselineVerdict::slower) {
                ++e.slower;
            }
            durations.push_back(s->duration_ms);
            e.max_ms = std::max(e.max_ms, s->duration_ms);
        }
        e.p50_ms = median_of(std::move(durations));
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.failed, a.slower, a.traces) > std::tie(b.failed, b.slower, b.traces);
    });
    return out;
}

// The lead is clear and wide (a third of the traces with a suspect), or at least ahead.
Confidence confidence_of(const IncidentSuspect& s, double next, int conclusive) {
    const bool clear_lead = next <= 0 || s.score >= 2 * next;
    const bool wide = s.traces_with * 3 >= conclusive && s.traces_with >= std::min(2, conclusive);
    if (clear_lead && wide) return Confidence::high;
    if (s.score >= 1.3 * next || s.traces_with * 2 >= conclusive) return Confidence::medium;
    return Confidence::low;
}

std::vector<TraceChange> changes_of(const std::vector<const Summary*>& traces) {
    std::vector<TraceChange> out;
    std::set<std::tuple<std::string, std::string, std::int64_t, std::string>> seen;
    for (const auto* s : traces) {
        for (const auto& c : s->changes) {
            if (seen.emplace(c.service, c.kind, c.at_ms.value_or(0), c.version).second) {
                out.push_back(c);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.at_ms.value_or(0) > b.at_ms.value_or(0);
    });
    if (out.size() > kMaxChanges) out.resize(kMaxChanges);
    return out;
}

std::string most_common_entry(const std::vector<const Summary*>& traces) {
    std::map<std::string, int> counts;
    for (const auto* s : traces) ++counts[s->root.service];
    if (counts.empty()) return {};
    return std::max_element(
               counts.begin(),
               counts.end(),
               [](const auto& a, const auto& b) { return a.second < b.second; }
    )->first;
}

}  // namespace

IncidentReport aggregate_incident(
    std::string service, const std::vector<const Summary*>& traces, const IncidentOptions& options
) {
    IncidentReport out;
    out.service = service.empty() ? most_common_entry(traces) : std::move(service);
    out.traces_analysed = static_cast<int>(traces.size());
    if (traces.empty()) {
        out.notes.emplace_back("Inconclusive: no trace in the window to analyse.");
        return out;
    }
    out.since_ms = std::numeric_limits<std::int64_t>::max();
    std::map<std::string, Tally> tallies;
    int conclusive = 0;
    for (const auto* s : traces) {
        const auto start_ms = s->start_us / 1000;
        out.since_ms = std::min(out.since_ms, start_ms);
        out.until_ms =
            std::max<std::int64_t>(out.until_ms, start_ms + std::llround(s->duration_ms));
        if (!s->suspects.empty()) ++conclusive;
        const double d = std::max(s->duration_ms, 1.0);
        for (const auto& suspect : s->suspects) {
            const double share = std::clamp(suspect.score / d, 0.0, 1.0);
            auto& t = tallies[suspect.service];
            t.score += share;
            t.excess_ms += suspect.excess_ms;
            ++t.traces_with;
            t.kinds[suspect.kind] += share;
            t.operations[suspect.operation] += share;
            if (!suspect.evidence.empty()) {
                t.votes.push_back({share, s->trace_id, suspect.evidence.front()});
            }
        }
    }
    for (auto& [name, t] : tallies) {
        if (t.score < kMinScore) continue;
        IncidentSuspect suspect;
        suspect.service = name;
        suspect.score = t.score;
        suspect.excess_ms = t.excess_ms;
        suspect.traces_with = t.traces_with;
        suspect.kind = heaviest(t.kinds);
        suspect.operation = heaviest(t.operations);
        std::stable_sort(t.votes.begin(), t.votes.end(), [](const auto& a, const auto& b) {
            return a.share > b.share;
        });
        for (auto& v : t.votes) {
            if (suspect.evidence.size() >= options.max_evidence) break;
            suspect.evidence.push_back(
                {v.trace_id, std::move(v.evidence.span_ids), std::move(v.evidence.text)}
            );
        }
        out.suspects.push_back(std::move(suspect));
    }
    std::stable_sort(out.suspects.begin(), out.suspects.end(), [](const auto& a, const auto& b) {
        return a.score > b.score;
    });
    if (out.suspects.size() > options.max_suspects) out.suspects.resize(options.max_suspects);
    for (std::size_t i = 0; i < out.suspects.size(); ++i) {
        const double next = i + 1 < out.suspects.size() ? out.suspects[i + 1].score : 0;
        out.suspects[i].confidence = confidence_of(out.suspects[i], next, conclusive);
    }
    out.endpoints = endpoints_of(traces);
    out.changes = changes_of(traces);
    if (out.suspects.empty()) {
        out.notes.push_back(fmt::format(
            "Inconclusive: none of the {} traces analysed points anywhere — no error, no time "
            "lost between services, nothing much slower than usual.",
            traces.size()
        ));
    } else if (conclusive < out.traces_analysed) {
        out.notes.push_back(fmt::format(
            "{} of the {} traces have no suspect of their own (nothing stands out in them).",
            out.traces_analysed - conclusive,
            out.traces_analysed
        ));
    }
    return out;
}

std::vector<int> typical_in_window(const std::vector<const TraceTree*>& trees) {
    std::vector<int> out(trees.size(), -1);
    std::map<std::pair<std::string_view, std::string_view>, std::vector<int>> groups;
    for (std::size_t i = 0; i < trees.size(); ++i) {
        const auto& t = *trees[i];
        if (t.root < 0) continue;
        groups[{t.span(t.root).service, t.span(t.root).name}].push_back(static_cast<int>(i));
    }
    for (const auto& [key, members] : groups) {
        std::vector<std::pair<double, int>> clean;  // (root duration, index) of error-free ones
        for (const int i : members) {
            const auto& t = *trees[static_cast<std::size_t>(i)];
            if (!any_span_failed(t)) clean.emplace_back(to_ms(t.span(t.root).duration_us), i);
        }
        if (clean.size() < 2) continue;  // one clean request is no "usual" for the others
        std::vector<double> durations;
        for (const auto& c : clean) durations.push_back(c.first);
        const double median = median_of(durations);
        std::stable_sort(clean.begin(), clean.end(), [median](const auto& a, const auto& b) {
            return std::abs(a.first - median) < std::abs(b.first - median);
        });
        for (const int i : members) {
            out[static_cast<std::size_t>(i)] =
                clean[0].second != i ? clean[0].second : clean[1].second;
        }
    }
    return out;
}

bool abnormal(const Summary& s, const TraceTree* typical) {
    if (!s.errors.empty()) return true;
    if (s.baseline.state == BaselineOverview::State::applied) {
        return s.baseline.request && s.baseline.request->verdict == BaselineVerdict::slower;
    }
    if (typical == nullptr || typical->root < 0) return false;
    const double usual = to_ms(typical->span(typical->root).duration_us);
    return usual > 0 && s.duration_ms > 1.5 * usual;
}

IncidentReport analyse_window(
    std::string service,
    std::vector<Summary>& summaries,
    const std::vector<const TraceTree*>& trees,
    const std::vector<int>& typical,
    const std::vector<DeploymentEvent>& deployments,
    const IncidentOptions& options
) {
    for (std::size_t i = 0; i < summaries.size() && i < trees.size(); ++i) {
        const int t = i < typical.size() ? typical[i] : -1;
        const TraceTree* other = t >= 0 && static_cast<std::size_t>(t) != i
                                     ? trees[static_cast<std::size_t>(t)]
                                     : nullptr;
        if (other == nullptr && deployments.empty()) continue;
        if (abnormal(summaries[i], other))
            apply_comparison(summaries[i], *trees[i], other, deployments);
    }
    std::vector<const Summary*> pointers;
    pointers.reserve(summaries.size());
    for (const auto& s : summaries) pointers.push_back(&s);
    return aggregate_incident(std::move(service), pointers, options);
}

}  // namespace nra
