// Human-friendly numbers and sentences for reports and tickets (report_format.hpp).
#include "core/report/report_format.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "core/report/report_detail.hpp"
#include "nra/time_units.hpp"

namespace nra::report_format {
namespace {

// Fixed-point text with thousands separators in the integer part ("1,234.5").
std::string grouped(double value, int decimals) {
    if (!std::isfinite(value)) {
        return value > 0 ? "∞" : "?";
    }
    std::string text = fmt::format("{:.{}f}", std::fabs(value), decimals);
    const std::size_t dot = text.find('.');
    const std::size_t int_end = dot == std::string::npos ? text.size() : dot;
    for (std::size_t i = int_end; i > 3; i -= 3) {
        text.insert(i - 3, ",");
    }
    const bool negative = value < 0 && text.find_first_not_of("0.,") != std::string::npos;
    return negative ? "−" + text : text;
}

}  // namespace

std::string thousands(std::int64_t value) {
    return grouped(static_cast<double>(value), 0);
}

std::string ms(double value) {
    if (std::fabs(value) < 99.95) {
        return grouped(value, 1) + " ms";
    }
    return grouped(value, 0) + " ms";
}

std::string percent(double fraction) {
    const double pct = fraction * 100.0;
    const bool fine = pct > 99.99 && pct < 100.0;
    return grouped(pct, fine ? 3 : 2) + " %";
}

std::string short_percent(double fraction) {
    const double pct = fraction * 100.0;
    return pct >= 100.0 ? grouped(pct, 0) + " %" : percent(fraction);
}

std::string target_percent(double fraction) {
    std::string text = fmt::format("{:.4f}", fraction * 100.0);
    while (text.back() == '0') {
        text.pop_back();
    }
    if (text.back() == '.') {
        text.pop_back();
    }
    return text + " %";
}

std::string rpm(double value) {
    return grouped(value, std::fabs(value) < 9.95 ? 1 : 0) + " rpm";
}

std::string apdex(double value) {
    return fmt::format("{:.2f}", value);
}

std::string times(double value) {
    return grouped(value, std::fabs(value) < 9.95 ? 2 : 1) + "×";
}

std::string metric_label(std::string_view metric) {
    if (metric == "p95_ms") {
        return "p95";
    }
    if (metric == "error_rate") {
        return "error rate";
    }
    return metric == "apdex" ? "Apdex" : std::string(metric);
}

std::string metric_figure(std::string_view metric, double value) {
    if (metric == "p95_ms") {
        return ms(value);
    }
    if (metric == "error_rate") {
        return percent(value);
    }
    return metric == "apdex" ? apdex(value) : grouped(value, 2);
}

std::string breach_text(const Breach& b) {
    const std::string label = metric_label(b.metric);
    const std::string value = metric_figure(b.metric, b.value);
    const std::string limit = metric_figure(b.metric, b.threshold);
    if (b.lingering) {
        return fmt::format(
            "{} {}, still open (within {}, not yet clear of the hysteresis band)",
            label,
            value,
            limit
        );
    }
    const char* op = report_detail::higher_is_worse(b.metric) ? ">" : "<";
    return fmt::format("{} {} {} {}", label, value, op, limit);
}

std::string change_name(Change change) {
    switch (change) {
        case Change::new_breach:
            return "new_breach";
        case Change::worse:
            return "worse";
        case Change::better:
            return "better";
        case Change::fixed:
            return "fixed";
        case Change::same:
            break;
    }
    return "same";
}

std::string change_text(const EndpointReport& e) {
    if (e.change == Change::new_breach) {
        return e.previous ? "new breach" : "new endpoint, breaching";
    }
    if (e.change == Change::fixed) {
        return "fixed";
    }
    if (!e.previous) {
        return "no previous data";
    }
    const std::string metric = report_detail::primary_metric(e.breaches);
    const auto now = report_detail::metric_value(e.stats, metric);
    const auto before = report_detail::metric_value(*e.previous, metric);
    if (e.change == Change::same || !now || !before || *before == 0.0) {
        return e.change == Change::same ? "about the same" : change_name(e.change);
    }
    const double pct = (*now - *before) / *before * 100.0;
    return fmt::format(
        "{} ({} {}{:.0f} %)",
        change_name(e.change),
        metric_label(metric),
        pct >= 0 ? "+" : "−",
        std::fabs(pct)
    );
}

std::string impact_text(const EndpointReport& e) {
    if (e.impact <= 0 || e.impact_basis.empty()) {
        return {};
    }
    const std::string share = percent(e.impact);
    if (e.impact_basis == "error_budget") {
        return share + " of the error budget";
    }
    if (e.impact_basis == "latency_budget") {
        return share + " of the latency budget";
    }
    if (e.impact_basis == "excess_latency") {
        return share + " of the service's time is excess latency here";
    }
    return share + " of the service's dissatisfied requests";
}

std::string iso_time(std::int64_t epoch_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds{epoch_ms}};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(t - day)};
    return fmt::format(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        static_cast<int>(ymd.year()),
        static_cast<unsigned>(ymd.month()),
        static_cast<unsigned>(ymd.day()),
        hms.hours().count(),
        hms.minutes().count(),
        hms.seconds().count()
    );
}

std::string iso_date(std::int64_t epoch_ms) {
    return iso_time(epoch_ms).substr(0, 10);
}

std::string window_text(const ReportWindow& w) {
    if (w.until_ms - w.since_ms < 2 * kDayMs) {
        const std::string a = iso_time(w.since_ms);
        const std::string b = iso_time(w.until_ms);
        return fmt::format(
            "{} {} → {} {} UTC", a.substr(0, 10), a.substr(11, 5), b.substr(0, 10), b.substr(11, 5)
        );
    }
    return iso_date(w.since_ms) + " → " + iso_date(w.until_ms);
}

std::string figures_line(const EndpointStats& s) {
    std::string out;
    const auto add = [&out](const std::string& part) { out += (out.empty() ? "" : " · ") + part; };
    if (s.p95_ms) {
        add("p95 " + ms(*s.p95_ms));
    }
    if (s.count > 0) {
        add("errors " + percent(s.error_rate()));
    }
    if (const auto a = s.apdex()) {
        add("Apdex " + apdex(*a));
    }
    add(rpm(s.throughput_rpm));
    return out;
}

}  // namespace nra::report_format
