// Impact scoring and ranking: which breaching endpoints cost the service the most of its budgets
// (report_build.hpp has the formulas and their sources).
#include <algorithm>

#include "core/report/report_detail.hpp"
#include "nra/report/improve_config.hpp"

namespace nra::report_detail {
namespace {

struct Totals {
    double requests = 0;      // Σ count over judged endpoints
    double time = 0;          // Σ count × avg over all endpoints
    double dissatisfied = 0;  // Σ (count − satisfied − tolerating/2) over judged endpoints
};

double avg_ms(const EndpointStats& s) {
    return s.avg_ms.value_or(s.p50_ms.value_or(0.0));
}

double dissatisfied(const EndpointStats& s) {
    const double good = double(s.satisfied) + double(s.tolerating) / 2.0;
    return std::max(0.0, double(s.count) - good);
}

Totals totals_of(const std::vector<EndpointReport>& endpoints) {
    Totals t;
    for (const EndpointReport& e : endpoints) {
        t.time += double(e.stats.count) * avg_ms(e.stats);
        if (!e.low_traffic) {
            t.requests += double(e.stats.count);
            t.dissatisfied += dissatisfied(e.stats);
        }
    }
    return t;
}

const SloSpec* matching_slo(
    const std::vector<SloSpec>& slos, SloKind kind, const std::string& endpoint
) {
    for (const SloSpec& s : slos) {
        if (s.kind == kind && s.target > 0 && s.target < 1 && glob_match(s.endpoint, endpoint)) {
            return &s;
        }
    }
    return nullptr;
}

double share(double part, double whole) {
    return whole > 0 ? part / whole : 0.0;
}

void consider(EndpointReport& e, double value, const char* basis) {
    if (value > e.impact) {
        e.impact = value;
        e.impact_basis = basis;
    }
}

void score_one(EndpointReport& e, const Totals& t, const std::vector<SloSpec>& slos) {
    const EndpointStats& s = e.stats;
    const SloSpec* availability = matching_slo(slos, SloKind::availability, s.name);
    const double b_err =
        availability != nullptr ? 1.0 - availability->target : e.thresholds.error_rate;
    consider(e, share(double(s.errors), b_err * t.requests), "error_budget");
    if (const SloSpec* latency = matching_slo(slos, SloKind::latency, s.name)) {
        consider(e, share(double(s.slow), (1.0 - latency->target) * t.requests), "latency_budget");
    } else {
        const double excess = std::max(0.0, s.p95_ms.value_or(0.0) - e.thresholds.p95_ms);
        consider(e, share(double(s.count) * excess, t.time), "excess_latency");
    }
    const bool apdex_breach = std::any_of(
        e.breaches.begin(), e.breaches.end(), [](const Breach& b) { return b.metric == "apdex"; }
    );
    if (apdex_breach) {  // tied to the Apdex target, like the other shares to theirs
        consider(e, share(dissatisfied(s), t.dissatisfied), "dissatisfaction");
    }
}

}  // namespace

void score_impact(std::vector<EndpointReport>& endpoints, const std::vector<SloSpec>& slos) {
    const Totals t = totals_of(endpoints);
    for (EndpointReport& e : endpoints) {
        e.time_share = share(double(e.stats.count) * avg_ms(e.stats), t.time);
        e.impact = 0;
        e.impact_basis.clear();
        if (!e.low_traffic && !e.breaches.empty()) {
            score_one(e, t, slos);
        }
    }
}

void rank(std::vector<EndpointReport>& endpoints) {
    std::stable_sort(
        endpoints.begin(),
        endpoints.end(),
        [](const EndpointReport& a, const EndpointReport& b) {
            const bool a_breach = !a.breaches.empty();
            const bool b_breach = !b.breaches.empty();
            if (a_breach != b_breach) {
                return a_breach;
            }
            if (a_breach && a.impact != b.impact) {
                return a.impact > b.impact;
            }
            if (a.time_share != b.time_share) {
                return a.time_share > b.time_share;
            }
            return a.stats.name < b.stats.name;
        }
    );
}

}  // namespace nra::report_detail
