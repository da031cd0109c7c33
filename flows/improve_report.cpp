#include "improve_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "nra/analysis/summary.hpp"
#include "nra/report/report_build.hpp"
#include "nra/report/suggest.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

}  // namespace

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

namespace {

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

awaitable<std::vector<SloInput>> slo_inputs(const Ports& ports, std::string service) {
    std::vector<SloInput> inputs;
    for (const auto& spec : ports.improve->slos) {
        if (spec.service != service) continue;
        SloInput input;
        input.spec = spec;
        auto counts = co_await ports.metrics->slo_counts(spec);
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
    const Ports& ports, std::vector<std::string> trace_ids
) {
    std::vector<Summary> samples;
    for (const auto& id : trace_ids) {
        TraceQuery query;
        query.trace_id = id;
        ProgressFn no_progress;
        auto fetching = ports.traces.fetch(std::move(query), std::move(no_progress));  // GCC 12
        auto fetched = std::make_shared<FetchResult>(co_await std::move(fetching));
        if (fetched->status != FetchStatus::found || !fetched->tree) continue;
        auto summary = std::make_shared<Summary>();
        std::function<void()> analyse = [summary, fetched] {
            *summary = summarize(*fetched->tree);
        };
        auto analysed = run_offloaded(ports.offload, std::move(analyse));  // named: GCC 12
        co_await std::move(analysed);
        samples.push_back(std::move(*summary));
    }
    co_return samples;
}

awaitable<void> add_suggestions(const Ports& ports, Report* report, int days) {
    const auto targets = suggestion_targets(*report, ports.improve->suggest_endpoints);
    for (const auto index : targets) {
        auto& endpoint = report->endpoints[index];
        auto ids = co_await ports.metrics->slowest_traces(
            report->service, endpoint.stats.name, ports.improve->sample_traces, days
        );
        if (ids.status != FetchStatus::found || ids.trace_ids.empty()) continue;
        endpoint.sample_trace_ids = ids.trace_ids;
        auto samples = co_await sample_summaries(ports, ids.trace_ids);
        endpoint.suggestions = suggest_from_traces(samples, *ports.improve);
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

// The problem when /improve's ports are not wired (a server without metrics), else empty.
std::string improve_unavailable(const Ports& ports) {
    if (ports.metrics == nullptr || ports.improve == nullptr) {
        return "/improve is not set up on this server.";
    }
    return {};
}

awaitable<Result<Report>> produce_report(const Ports& ports, ReportRequest request) {
    if (ports.metrics == nullptr || ports.improve == nullptr) {
        co_return make_error(improve_unavailable(ports));
    }
    const int days = request.window_days > 0 ? request.window_days : ports.improve->window_days;
    auto query = stats_query(*ports.improve, request.service, days);
    auto stats = co_await ports.metrics->service_stats(std::move(query));
    if (stats.status == FetchStatus::not_found) {
        co_return make_error(unknown_service(request.service, days, stats));
    }
    if (stats.status != FetchStatus::found) co_return make_error(stats.message);
    auto slos = co_await slo_inputs(ports, request.service);
    auto report = std::make_shared<Report>();
    std::function<void()> build = [report, stats = std::move(stats.stats), slos, &ports] {
        *report = build_report(stats, *ports.improve, slos);  // ports: app lifetime
    };
    auto built = run_offloaded(ports.offload, std::move(build));  // named: GCC 12
    co_await std::move(built);
    if (request.suggestions) co_await add_suggestions(ports, report.get(), days);
    co_return std::move(*report);
}

awaitable<Result<std::vector<Report>>> produce_overview(const Ports& ports, int max_services) {
    if (ports.metrics == nullptr || ports.improve == nullptr) {
        co_return make_error(improve_unavailable(ports));
    }
    auto listed = co_await ports.metrics->services(ports.improve->window_days);
    if (listed.status != FetchStatus::found) co_return make_error(listed.message);
    std::vector<Report> reports;
    const auto count = std::min<std::size_t>(listed.services.size(), std::size_t(max_services));
    for (std::size_t i = 0; i < count; ++i) {
        ReportRequest request;
        request.service = listed.services[i];
        request.suggestions = false;
        auto report = co_await produce_report(ports, std::move(request));
        if (report) reports.push_back(std::move(report).value());
    }
    std::stable_sort(reports.begin(), reports.end(), [](const Report& a, const Report& b) {
        return a.breaching > b.breaching;
    });
    co_return reports;
}

std::string quoted_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '`', '\'');  // a backtick would end the quote
    return "`" + out + "`";
}

}  // namespace nra
