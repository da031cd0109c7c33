// Stats → Report (report_build.hpp states every rule), plus the fingerprint used to deduplicate
// Jira tickets.
#include "nra/report/report_build.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "core/report/report_detail.hpp"
#include "core/report/report_format.hpp"
#include "nra/report/slo_math.hpp"

namespace nra {
namespace {

using report_detail::classify_change;
using report_detail::judge;

std::vector<SloReport> evaluate_slos(
    const std::vector<SloInput>& slos, std::vector<std::string>& notes
) {
    std::vector<SloReport> out;
    out.reserve(slos.size());
    for (const SloInput& input : slos) {
        SloReport r;
        if (input.counts) {
            r = slo::evaluate(input.spec, *input.counts);
        } else {
            r.name = input.spec.name;
            r.kind = input.spec.kind;
            r.target = input.spec.target;
            r.window_days = input.spec.window_days;
            r.problem = input.problem.empty() ? "No data for this SLO." : input.problem;
        }
        if (r.budget_remaining && *r.budget_remaining < 0) {
            notes.push_back(fmt::format(
                "SLO {} has spent its error budget ({} left): reliability work comes first.",
                r.name,
                report_format::percent(*r.budget_remaining)
            ));
        }
        out.push_back(std::move(r));
    }
    return out;
}

EndpointReport judge_endpoint(
    const EndpointStats& stats,
    const std::unordered_map<std::string_view, const EndpointStats*>& previous,
    const ImproveConfig& config,
    const std::string& service,
    bool compare
) {
    EndpointReport e;
    e.stats = stats;
    if (const auto it = previous.find(stats.name); it != previous.end()) {
        e.previous = *it->second;
    }
    e.thresholds = thresholds_for(config, service, stats.name);
    e.low_traffic = stats.throughput_rpm < e.thresholds.min_throughput_rpm;
    if (!e.low_traffic) {
        e.breaches = judge(stats, e.previous, e.thresholds, config.hysteresis);
        // Without any previous data (not fetched), every endpoint would look "new": say nothing.
        e.change =
            compare ? classify_change(e.breaches, e.previous, e.thresholds, stats) : Change::same;
    }
    return e;
}

void count_endpoints(Report& report) {
    report.total_endpoints = report.endpoints.size();
    for (const EndpointReport& e : report.endpoints) {
        if (e.low_traffic) {
            ++report.low_traffic;
            continue;
        }
        ++report.judged;
        if (e.breaches.empty()) {
            continue;
        }
        ++report.breaching;
        for (const Breach& b : e.breaches) {
            ++report.breaches_by_metric[b.metric];
        }
    }
}

void add_notes(Report& report, const ServiceStats& stats, double min_rpm) {
    if (stats.truncated) {
        report.notes.push_back(fmt::format(
            "New Relic's facet limit: only the {} busiest endpoints were analysed.",
            report_format::thousands(static_cast<std::int64_t>(stats.endpoints.size()))
        ));
    }
    if (report.low_traffic > 0) {
        report.notes.push_back(fmt::format(
            "{} {} under the minimum traffic ({} by default) not judged: too few requests for "
            "stable figures.",
            report_format::thousands(static_cast<std::int64_t>(report.low_traffic)),
            report.low_traffic == 1 ? "endpoint" : "endpoints",
            report_format::rpm(min_rpm)
        ));
    }
}

}  // namespace

Report build_report(
    const ServiceStats& stats, const ImproveConfig& config, const std::vector<SloInput>& slos
) {
    Report report;
    report.service = stats.service;
    report.kind = stats.kind;
    report.window = stats.window;
    report.slos = evaluate_slos(slos, report.notes);

    std::unordered_map<std::string_view, const EndpointStats*> previous;
    previous.reserve(stats.previous.size());
    for (const EndpointStats& p : stats.previous) {
        previous.emplace(p.name, &p);
    }
    report.endpoints.reserve(stats.endpoints.size());
    for (const EndpointStats& s : stats.endpoints) {
        report.endpoints.push_back(
            judge_endpoint(s, previous, config, stats.service, !stats.previous.empty())
        );
    }
    std::vector<SloSpec> specs;
    specs.reserve(slos.size());
    for (const SloInput& input : slos) {
        specs.push_back(input.spec);
    }
    report_detail::score_impact(report.endpoints, specs);
    report_detail::rank(report.endpoints);
    count_endpoints(report);
    add_notes(report, stats, config.defaults.min_throughput_rpm);
    if (config.top_endpoints > 0 &&
        report.endpoints.size() > static_cast<std::size_t>(config.top_endpoints)) {
        report.endpoints.resize(static_cast<std::size_t>(config.top_endpoints));
    }
    return report;
}

std::vector<std::size_t> suggestion_targets(const Report& report, int n) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < report.endpoints.size() && std::ssize(out) < n; ++i) {
        const EndpointReport& e = report.endpoints[i];
        if (!e.low_traffic && !e.breaches.empty()) {
            out.push_back(i);
        }
    }
    return out;
}

std::string ticket_fingerprint(
    const std::string& service, const std::string& endpoint, const std::string& breach_kind
) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
    const auto mix = [&hash](std::string_view text) {
        for (const char c : text) {
            hash ^= static_cast<unsigned char>(c);
            hash *= 0x100000001b3ULL;  // FNV-1a 64 prime
        }
    };
    mix(service);
    mix("\x1f");  // unit separator: ("ab", "c") and ("a", "bc") must differ
    mix(endpoint);
    mix("\x1f");
    mix(breach_kind);
    return fmt::format("nra-fp-{:012x}", hash >> 16);
}

std::string primary_breach_kind(const EndpointReport& endpoint) {
    const Breach* primary = report_detail::primary_breach(endpoint.breaches);
    return primary != nullptr ? primary->metric : std::string();
}

}  // namespace nra
