#include "improve_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "handler.hpp"
#include "nra/report_build.hpp"
#include "nra/suggest.hpp"
#include "nra/summary.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

// Plain text whose backticks mark the names (from the user and from New Relic's service list):
// Slack callers escape it with slack_escape_marked, the terminal prints it as it is.
std::string unknown_service(const std::string& service, int days, const StatsResult& stats) {
    std::string text =
        fmt::format("no data for {} in the last {} days", quoted_name(service), days);
    if (!stats.did_you_mean.empty()) {
        std::vector<std::string> quoted;
        for (const auto& name : stats.did_you_mean) quoted.push_back(quoted_name(name));
        text += fmt::format("; did you mean {}?", fmt::join(quoted, ", "));
    }
    return text;
}

StatsQuery stats_query(const ImproveConfig& config, const std::string& service, int days) {
    StatsQuery query;
    query.service = service;
    query.window_days = days;
    query.apdex_t_ms = thresholds_for(config, service, "*").apdex_t_ms;
    for (const auto& slo : config.slos) {
        if (slo.service == service && slo.kind == SloKind::latency && slo.latency_ms > 0) {
            query.slow_ms = slo.latency_ms;
            break;
        }
    }
    return query;
}

awaitable<std::vector<SloInput>> slo_inputs(ReportPorts ports, std::string service) {
    std::vector<SloInput> inputs;
    for (const auto& spec : ports.config.slos) {
        if (spec.service != service) continue;
        SloInput input;
        input.spec = spec;
        auto counts = co_await ports.metrics.slo_counts(spec);
        if (counts.status == FetchStatus::found) {
            input.counts = counts.counts;
        } else {
            input.problem = counts.message;
        }
        inputs.push_back(std::move(input));
    }
    co_return inputs;
}

// Summaries of the endpoint's slowest sampled traces (those that could be fetched).
awaitable<std::vector<Summary>> sample_summaries(
    ReportPorts ports, std::vector<std::string> trace_ids
) {
    std::vector<Summary> samples;
    for (const auto& id : trace_ids) {
        TraceQuery query;
        query.trace_id = id;
        ProgressFn no_progress;
        auto fetched = co_await ports.traces.fetch(std::move(query), std::move(no_progress));
        if (fetched.status != FetchStatus::found || !fetched.tree) continue;
        std::optional<Summary> summary;
        std::function<void()> analyse = [&summary, &fetched] {
            summary = summarize(*fetched.tree);
        };
        auto analysed = run_offloaded(ports.offload, std::move(analyse));  // named: GCC 12
        co_await std::move(analysed);
        samples.push_back(std::move(*summary));
    }
    co_return samples;
}

awaitable<void> add_suggestions(ReportPorts ports, Report* report, int days) {
    const auto targets = suggestion_targets(*report, ports.config.suggest_endpoints);
    for (const auto index : targets) {
        auto& endpoint = report->endpoints[index];
        auto ids = co_await ports.metrics.slowest_traces(
            report->service, endpoint.stats.name, ports.config.sample_traces, days
        );
        if (ids.status != FetchStatus::found || ids.trace_ids.empty()) continue;
        endpoint.sample_trace_ids = ids.trace_ids;
        auto samples = co_await sample_summaries(ports, ids.trace_ids);
        endpoint.suggestions = suggest_from_traces(samples, ports.config);
    }
}

}  // namespace

std::string check_service_name(const std::string& service) {
    if (service.empty()) return "a service name is needed";
    if (service.size() > 255) return "that service name is too long (255 characters at most)";
    for (const char c : service) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            return "a service name cannot contain control characters";
        }
    }
    return {};
}

int parse_window_days(const std::string& text) {
    std::string digits = text;
    if (!digits.empty() && (digits.back() == 'd' || digits.back() == 'D')) digits.pop_back();
    if (digits.empty() || digits.size() > 2) return 0;
    int days = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') return 0;
        days = days * 10 + (c - '0');
    }
    return days >= 1 && days <= 30 ? days : 0;
}

awaitable<ReportOutcome> produce_report(ReportPorts ports, ReportRequest request) {
    ReportOutcome out;
    const int days = request.window_days > 0 ? request.window_days : ports.config.window_days;
    auto query = stats_query(ports.config, request.service, days);
    auto stats = co_await ports.metrics.service_stats(std::move(query));
    if (stats.status == FetchStatus::not_found) {
        out.problem = unknown_service(request.service, days, stats);
        co_return out;
    }
    if (stats.status != FetchStatus::found) {
        out.problem = stats.message;
        co_return out;
    }
    auto slos = co_await slo_inputs(ports, request.service);
    std::function<void()> build = [&out, &stats, &slos, &ports] {
        out.report = build_report(stats.stats, ports.config, slos);
    };
    auto built = run_offloaded(ports.offload, std::move(build));  // named: GCC 12
    co_await std::move(built);
    if (request.suggestions) co_await add_suggestions(ports, &out.report, days);
    out.ok = true;
    co_return out;
}

awaitable<OverviewOutcome> produce_overview(ReportPorts ports, int max_services) {
    OverviewOutcome out;
    auto listed = co_await ports.metrics.services(ports.config.window_days);
    if (listed.status != FetchStatus::found) {
        out.problem = listed.message;
        co_return out;
    }
    const auto count = std::min<std::size_t>(listed.services.size(), std::size_t(max_services));
    for (std::size_t i = 0; i < count; ++i) {
        ReportRequest request;
        request.service = listed.services[i];
        request.suggestions = false;
        auto outcome = co_await produce_report(ports, std::move(request));
        if (outcome.ok) out.reports.push_back(std::move(outcome.report));
    }
    std::stable_sort(out.reports.begin(), out.reports.end(), [](const Report& a, const Report& b) {
        return a.breaching > b.breaching;
    });
    out.ok = true;
    co_return out;
}

std::string quoted_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '`', '\'');  // a backtick would end the quote
    return "`" + out + "`";
}

ReportPorts report_ports_of(const Services& services) {
    return ReportPorts{*services.metrics, services.traces, *services.improve, services.offload};
}

}  // namespace nra
