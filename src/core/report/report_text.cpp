// Plain sentences shared by every rendering of a report (report_text.hpp).
#include "core/report/report_text.hpp"

#include <fmt/format.h>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"

namespace nra::report_text {
namespace {

namespace rf = report_format;

std::string metric_counts(const Report& report) {
    std::string out;
    const auto add = [&](const char* metric, const char* words) {
        const auto it = report.breaches_by_metric.find(metric);
        if (it != report.breaches_by_metric.end() && it->second > 0) {
            out += fmt::format(
                "{}{} {}",
                out.empty() ? "" : ", ",
                rf::thousands(static_cast<std::int64_t>(it->second)),
                words
            );
        }
    };
    add("p95_ms", "over p95");
    add("error_rate", "over error rate");
    add("apdex", "under Apdex");
    return out;
}

}  // namespace

std::string title(const Report& report) {
    return fmt::format(
        "{}: improvement report, {}", report.service, rf::window_text(report.window)
    );
}

std::string headline(const Report& report) {
    const auto n = [](std::size_t v) { return rf::thousands(static_cast<std::int64_t>(v)); };
    if (report.total_endpoints == 0) {
        return "No endpoints with traffic in this window.";
    }
    if (report.judged == 0) {
        return fmt::format(
            "None of the {} endpoints had enough traffic to judge.", n(report.total_endpoints)
        );
    }
    if (report.breaching == 0) {
        return fmt::format(
            "All {} judged {} meet their targets.",
            n(report.judged),
            report.judged == 1 ? "endpoint" : "endpoints"
        );
    }
    const std::string counts = metric_counts(report);
    return fmt::format(
        "{} of {} judged {} {} their targets{}{}.",
        n(report.breaching),
        n(report.judged),
        report.judged == 1 ? "endpoint" : "endpoints",
        report.breaching == 1 ? "breaks" : "break",
        counts.empty() ? "" : ": ",
        counts
    );
}

std::string slo_sentence(const SloReport& s) {
    std::string out = fmt::format(
        "{} ({}, {} over {} days): ",
        s.name,
        s.kind == SloKind::latency ? "latency" : "availability",
        rf::target_percent(s.target),
        s.window_days
    );
    if (!s.attainment) {
        return out + "no figures. " + s.problem;
    }
    out += "attainment " + rf::percent(*s.attainment);
    if (s.budget_remaining) {
        const double left = *s.budget_remaining;
        out += ", budget left " + rf::percent(left) + (left < 0 ? " (spent)" : "");
    }
    if (s.burn_rate) {
        out += ", burning " + rf::times(*s.burn_rate) + " now";
    }
    return out + ".";
}

std::string low_traffic_sentence(const EndpointReport& e) {
    return fmt::format(
        "Low traffic: {}, under the {} needed to judge it.",
        rf::rpm(e.stats.throughput_rpm),
        rf::rpm(e.thresholds.min_throughput_rpm)
    );
}

std::string kind_label(const std::string& kind) {
    return kind == "critical_path" ? "Critical path" : render_detail::kind_label(kind);
}

std::string suggestion_figures(const Suggestion& s) {
    std::string out = fmt::format(
        "in {} of {} slowest traces, {} in total",
        s.traces_with,
        s.traces_sampled,
        rf::ms(s.total_ms)
    );
    if (s.saving_ms > 0) {
        out += ", ~" + rf::ms(s.saving_ms) + " saved per request";
    }
    return out;
}

std::string suggestion_sentence(const Suggestion& s) {
    std::string out = kind_label(s.kind);
    if (!s.service.empty()) {
        out += " in " + render_detail::fit(s.service, 100);
    }
    if (!s.what.empty()) {
        out += ": " + render_detail::fit(s.what, 160);
    }
    out += " (" + suggestion_figures(s) + ").";
    if (!s.advice.empty()) {
        out += " " + render_detail::fit(s.advice, 400);
    }
    return out;
}

}  // namespace nra::report_text
