// Report → Report JSON (PRODUCT.md contract; render_report.hpp lists the fields).
#include <nlohmann/json.hpp>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"
#include "nra/report/render_report.hpp"

namespace nra {
namespace {

using Json = nlohmann::ordered_json;
using render_detail::round_ms;

Json opt(const std::optional<double>& value) {
    return value ? Json(*value) : Json(nullptr);
}

Json opt_ms(const std::optional<double>& value) {
    return value ? Json(round_ms(*value)) : Json(nullptr);
}

Json metrics(const EndpointStats& s) {
    return Json{
        {"count", s.count},
        {"throughput_rpm", s.throughput_rpm},
        {"avg_ms", opt_ms(s.avg_ms)},
        {"p50_ms", opt_ms(s.p50_ms)},
        {"p95_ms", opt_ms(s.p95_ms)},
        {"p99_ms", opt_ms(s.p99_ms)},
        {"max_ms", opt_ms(s.max_ms)},
        {"errors", s.errors},
        {"error_rate", s.count > 0 ? Json(s.error_rate()) : Json(nullptr)},
        {"apdex", opt(s.apdex())},
    };
}

Json thresholds(const Thresholds& t) {
    return Json{
        {"p95_ms", t.p95_ms},
        {"error_rate", t.error_rate},
        {"apdex_t_ms", t.apdex_t_ms},
        {"apdex_min", t.apdex_min},
        {"min_throughput_rpm", t.min_throughput_rpm},
    };
}

Json suggestion(const Suggestion& s) {
    return Json{
        {"kind", s.kind},
        {"service", s.service},
        {"what", s.what},
        {"traces_with", s.traces_with},
        {"traces_sampled", s.traces_sampled},
        {"total_ms", round_ms(s.total_ms)},
        {"saving_ms", round_ms(s.saving_ms)},
        {"advice", s.advice},
        {"code_url", s.code_url},
    };
}

Json endpoint(const EndpointReport& e) {
    Json out{{"name", e.stats.name}};
    out.update(metrics(e.stats));
    out["impact"] = e.impact;
    out["impact_basis"] = e.impact_basis;
    out["time_share"] = e.time_share;
    out["change"] = report_format::change_name(e.change);
    out["low_traffic"] = e.low_traffic;
    out["thresholds"] = thresholds(e.thresholds);
    Json breaches = Json::array();
    for (const Breach& b : e.breaches) {
        breaches.push_back(Json{
            {"metric", b.metric},
            {"value", b.value},
            {"threshold", b.threshold},
            {"lingering", b.lingering},
        });
    }
    out["breaches"] = std::move(breaches);
    out["previous"] = e.previous ? metrics(*e.previous) : Json(nullptr);
    Json suggestions = Json::array();
    for (const Suggestion& s : e.suggestions) {
        suggestions.push_back(suggestion(s));
    }
    out["suggestions"] = std::move(suggestions);
    out["sample_trace_ids"] = e.sample_trace_ids;
    return out;
}

Json slo(const SloReport& s) {
    return Json{
        {"name", s.name},
        {"kind", s.kind == SloKind::latency ? "latency" : "availability"},
        {"target", s.target},
        {"window_days", s.window_days},
        {"attainment", opt(s.attainment)},
        {"budget_remaining", opt(s.budget_remaining)},
        {"burn_rate", opt(s.burn_rate)},
        {"problem", s.problem.empty() ? Json(nullptr) : Json(s.problem)},
    };
}

}  // namespace

std::string render_report_json(const Report& report) {
    Json out{
        {"service", report.service},
        {"kind", report.kind == ServiceKind::otel ? "otel" : "apm"},
        {"window",
         Json{
             {"since", report_format::iso_time(report.window.since_ms)},
             {"until", report_format::iso_time(report.window.until_ms)},
             {"since_ms", report.window.since_ms},
             {"until_ms", report.window.until_ms},
         }},
        {"total_endpoints", report.total_endpoints},
        {"judged", report.judged},
        {"breaching", report.breaching},
        {"low_traffic", report.low_traffic},
        {"breaches_by_metric", report.breaches_by_metric},
    };
    Json endpoints = Json::array();
    for (const EndpointReport& e : report.endpoints) {
        endpoints.push_back(endpoint(e));
    }
    out["endpoints"] = std::move(endpoints);
    Json slos = Json::array();
    for (const SloReport& s : report.slos) {
        slos.push_back(slo(s));
    }
    out["slos"] = std::move(slos);
    out["notes"] = report.notes;
    return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace nra
