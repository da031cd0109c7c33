#include "incident_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "analyse_trace.hpp"
#include "improve_report.hpp"
#include "incident_sample.hpp"
#include "nra/report/slo_math.hpp"
#include "nra/time_units.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::int64_t kMinuteMs = 60'000;
constexpr int kUsualDays = 8;  // the week up to yesterday, this time: now − 8 d … now − 1 d
constexpr std::size_t kOtherEndpoints = 20;  // endpoints within their usual range that are listed

std::int64_t now_ms(const Ports& ports) {
    return ports.epoch_seconds ? ports.epoch_seconds() * 1000 : 0;
}

// The endpoint asked for (exact, else the one its name ends with, else none).
const EndpointDeviation* find_endpoint(
    const std::vector<EndpointDeviation>& all, const std::string& wanted
) {
    for (const auto& e : all) {
        if (e.name == wanted) return &e;
    }
    for (const auto& e : all) {
        if (e.name.size() > wanted.size() &&
            e.name.compare(e.name.size() - wanted.size(), wanted.size(), wanted) == 0) {
            return &e;
        }
    }
    return nullptr;
}

std::string unknown_endpoint(const IncidentRequest& r, const std::vector<EndpointDeviation>& all) {
    std::vector<std::string> names;
    for (const auto& e : all) {
        if (names.size() < 5 && e.requests > 0) names.push_back(quoted_name(e.name));
    }
    auto text = fmt::format(
        "{} has no endpoint {} in the last {} min",
        quoted_name(r.service),
        quoted_name(r.endpoint),
        r.window_minutes
    );
    if (!names.empty()) text += fmt::format("; its busiest: {}", fmt::join(names, ", "));
    return text;
}

// The report's endpoints: each deviating or quieter one, then the busiest others (at most
// kOtherEndpoints), with what the traces showed of them.
void merge_endpoints(IncidentReport& report, const std::vector<EndpointDeviation>& deviations) {
    std::vector<IncidentEndpoint> merged;
    std::size_t others = 0;
    std::size_t left_out = 0;
    for (const auto& d : deviations) {
        const bool listed = d.deviates() || d.quieter || others++ < kOtherEndpoints;
        if (!listed) {
            ++left_out;
            continue;
        }
        const auto it =
            std::find_if(report.endpoints.begin(), report.endpoints.end(), [&](const auto& e) {
                return e.service == report.service && e.name == d.name;
            });
        IncidentEndpoint e = it != report.endpoints.end() ? *it : IncidentEndpoint{};
        e.service = report.service;
        e.name = d.name;
        e.window = d;
        merged.push_back(std::move(e));
    }
    for (const auto& e : report.endpoints) {  // endpoints of other services the traces crossed
        if (e.service != report.service) merged.push_back(e);
    }
    report.endpoints = std::move(merged);
    if (left_out > 0) {
        report.notes.push_back(fmt::format(
            "{} more endpoints were within their usual latency and error rate.", left_out
        ));
    }
}

awaitable<std::vector<SloBurn>> service_burns(const Ports& ports, std::string service) {
    std::vector<SloBurn> burns;
    if (ports.improve == nullptr) co_return burns;
    for (const auto& slo : ports.improve->slos) {
        if (slo.service != service) continue;
        auto counting = ports.metrics->slo_counts(slo);  // named: GCC 12
        const auto counts = co_await std::move(counting);
        if (counts.status != FetchStatus::found) continue;
        const auto rate =
            slo::burn_rate(counts.counts.recent_total, counts.counts.recent_bad, slo.target);
        if (rate) burns.push_back(SloBurn{slo.name, *rate});
    }
    co_return burns;
}

// Traffic that fell away is a finding of its own when nothing else stands out.
void note_quieter(IncidentReport& report, const std::vector<EndpointDeviation>& deviations) {
    std::vector<std::string> names;
    std::size_t quieter = 0;
    for (const auto& d : deviations) {
        if (!d.quieter) continue;
        if (++quieter <= 3) names.push_back(quoted_name(d.name));
    }
    if (quieter == 0 || !report.suspects.empty()) return;
    report.notes.insert(
        report.notes.begin(),
        fmt::format(
            "{} endpoint{} of {} get under a third of {} usual requests ({}{}): is something in "
            "front of it failing?",
            quieter,
            quieter == 1 ? "" : "s",
            quoted_name(report.service),
            quieter == 1 ? "its" : "their",
            fmt::join(names, ", "),
            quieter > names.size() ? ", …" : ""
        )
    );
}

StatsQuery stats_query(const Ports& ports, const IncidentRequest& r, std::int64_t now) {
    StatsQuery q;
    q.service = r.service;
    if (ports.improve != nullptr)
        q.apdex_t_ms = thresholds_for(*ports.improve, r.service, "*").apdex_t_ms;
    q.window = ReportWindow{now - r.window_minutes * kMinuteMs, now};
    q.usual = ReportWindow{
        now - kUsualDays * kDayMs, now - kDayMs};  // the week up to yesterday, this time
    return q;
}

}  // namespace

std::string incident_unavailable(const Ports& ports) {
    return ports.metrics == nullptr ? "/incident is not set up on this server." : "";
}

awaitable<Result<IncidentReport>> produce_incident(const Ports& ports, IncidentRequest request) {
    if (auto problem = incident_unavailable(ports); !problem.empty()) co_return make_error(problem);
    if (auto problem = check_service_name(request.service); !problem.empty()) {
        co_return make_error(problem);
    }
    request.window_minutes =
        std::clamp(request.window_minutes, kMinIncidentMinutes, kMaxIncidentMinutes);
    request.max_traces = std::clamp<std::size_t>(request.max_traces, 1, kMaxIncidentTraces);
    const auto now = now_ms(ports);
    auto asking = ports.metrics->service_stats(stats_query(ports, request, now));  // GCC 12
    auto stats = co_await std::move(asking);
    if (stats.status == FetchStatus::not_found)
        co_return make_error(unknown_service(request.service, kUsualDays, stats));
    if (stats.status != FetchStatus::found) {
        co_return make_error(fmt::format("New Relic: {}", stats.message));
    }
    auto deviations = endpoint_deviations(stats.stats);
    std::vector<SampleEndpoint> asked;
    if (!request.endpoint.empty()) {
        const auto* wanted = find_endpoint(deviations, request.endpoint);
        if (wanted == nullptr) co_return make_error(unknown_endpoint(request, deviations));
        asked.push_back(SampleEndpoint{wanted->name, wanted->usual_p99_ms, wanted->usual_p50_ms});
        const EndpointDeviation only = *wanted;
        deviations = {only};
    } else {
        asked = sample_endpoints(deviations, kMaxSampledEndpoints);
    }
    WindowRun run;
    run.service = request.service;
    run.window = ReportWindow{now - request.window_minutes * kMinuteMs, now};
    run.asked = std::move(asked);
    run.max_traces = request.max_traces;
    auto running = analyse_window_live(ports, std::move(run));  // named: GCC 12
    IncidentReport report = co_await std::move(running);
    merge_endpoints(report, deviations);
    note_quieter(report, deviations);
    auto burning = service_burns(ports, request.service);  // named: GCC 12
    report.slo_burns = co_await std::move(burning);
    co_return report;
}

}  // namespace nra
