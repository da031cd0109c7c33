#include "nra/analysis/incident_window.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"

namespace nra {
namespace {

constexpr double kFailingShare = 0.02;  // at least 2 points above the usual error rate…
constexpr double kFailingFactor = 2.0;  // …and twice it
constexpr double kSlowerFactor = 1.5;   // p99 half again the usual p99…
constexpr double kSlowerMinMs = 50;     // …and at least this much more
constexpr double kQuieterFactor = 1.0 / 3;
constexpr double kQuieterMinExpected = 10;  // requests the window usually has, to fall quiet

double minutes_of(const ReportWindow& w) {
    return w.until_ms > w.since_ms ? static_cast<double>(w.until_ms - w.since_ms) / 60'000.0 : 0;
}

bool failing(const EndpointDeviation& e) {
    if (e.errors < 1) return false;
    if (e.errors < 2 && e.error_rate < 0.5) return false;  // one error in many is noise
    return e.error_rate >= e.usual_error_rate + kFailingShare &&
           e.error_rate >= kFailingFactor * e.usual_error_rate;
}

bool slower(const EndpointDeviation& e) {
    if (!e.p99_ms || !e.usual_p99_ms || *e.usual_p99_ms <= 0) return false;
    return *e.p99_ms >= kSlowerFactor * *e.usual_p99_ms &&
           *e.p99_ms - *e.usual_p99_ms >= kSlowerMinMs;
}

double weight(const EndpointDeviation& e) {
    double w = 0;
    if (e.failing) w += e.error_rate - e.usual_error_rate;
    if (e.slower) w += std::min(1.0, *e.p99_ms / *e.usual_p99_ms - 1) / 2;
    return w;
}

int group(const EndpointDeviation& e) {
    if (e.deviates()) return 0;
    return e.quieter ? 1 : 2;
}

}  // namespace

bool looks_like_incident_window(std::string_view word) {
    if (word.empty() || std::isdigit(static_cast<unsigned char>(word.front())) == 0) return false;
    const auto unit = word.find_first_not_of("0123456789");
    if (unit == std::string_view::npos) return false;
    static const std::set<std::string_view> units{
        "m",
        "min",
        "mins",
        "minute",
        "minutes",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "d",
        "day",
        "days",
        "w",
        "wk"};
    return units.contains(word.substr(unit));
}

Result<int> parse_incident_window(std::string_view text) {
    std::string word;
    for (const char c : text) {
        if (c != ' ')
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    const auto* const range = "the window is 5m to 24h, e.g. 15m, 30m or 2h";
    if (!looks_like_incident_window(word)) return make_error(fmt::format("{}", range));
    const auto unit_at = word.find_first_not_of("0123456789");
    if (unit_at > 6) return make_error(fmt::format("{}", range));
    const long number = std::stol(word.substr(0, unit_at));
    const char unit = word[unit_at];
    const long per = unit == 'm' ? 1 : unit == 'h' ? 60 : unit == 'd' ? 1440 : 10080;
    const long minutes = number * per;
    if (minutes > kMaxIncidentMinutes) {
        return make_error(
            "/incident looks at up to the last 24h (an incident is now); for a week or more, "
            "/improve <service> 7d reports each endpoint against its thresholds"
        );
    }
    if (minutes < kMinIncidentMinutes) return make_error(fmt::format("{}", range));
    return static_cast<int>(minutes);
}

std::vector<EndpointDeviation> endpoint_deviations(const ServiceStats& stats) {
    const double window_min = minutes_of(stats.window);
    std::map<std::string, EndpointDeviation> by_name;
    for (const auto& s : stats.endpoints) {
        auto& e = by_name[s.name];
        e.name = s.name;
        e.requests = s.count;
        e.errors = s.errors;
        e.rpm = s.throughput_rpm > 0 || window_min <= 0 ? s.throughput_rpm
                                                        : double(s.count) / window_min;
        e.error_rate = s.error_rate();
        e.p99_ms = s.p99_ms;
        e.is_new = true;
    }
    for (const auto& s : stats.previous) {
        auto& e = by_name[s.name];
        e.name = s.name;
        e.usual_rpm = s.throughput_rpm;
        e.usual_error_rate = s.error_rate();
        e.usual_p99_ms = s.p99_ms;
        e.usual_p50_ms = s.p50_ms;
        e.is_new = false;
    }
    std::vector<EndpointDeviation> out;
    for (auto& [name, e] : by_name) {
        e.failing = failing(e);
        e.slower = slower(e);
        const double expected = e.usual_rpm * window_min;  // requests the window usually has
        e.quieter =
            !e.is_new && expected >= kQuieterMinExpected && e.rpm < kQuieterFactor * e.usual_rpm;
        e.weight = weight(e);
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (group(a) != group(b)) return group(a) < group(b);
        if (a.weight != b.weight) return a.weight > b.weight;
        return a.requests > b.requests;
    });
    return out;
}

std::string deviation_text(const EndpointDeviation& e) {
    using render_detail::format_duration;
    std::vector<std::string> parts;
    if (e.requests == 0 && !e.is_new) {
        parts.push_back(fmt::format("no request (usually {:.1f} a minute)", e.usual_rpm));
    } else if (e.failing || e.errors > 0) {
        parts.push_back(fmt::format(
            "{} of {} requests failed ({}, usually {})",
            report_format::thousands(e.errors),
            report_format::thousands(e.requests),
            report_format::short_percent(e.error_rate),
            e.is_new ? "no traffic" : report_format::short_percent(e.usual_error_rate)
        ));
    } else {
        parts.push_back(fmt::format("{} requests", report_format::thousands(e.requests)));
    }
    if (e.p99_ms && e.usual_p99_ms) {
        parts.push_back(fmt::format(
            "p99 {} (usually {})", format_duration(*e.p99_ms), format_duration(*e.usual_p99_ms)
        ));
    } else if (e.p99_ms && e.requests > 0) {
        parts.push_back(fmt::format("p99 {}", format_duration(*e.p99_ms)));
    }
    if (e.quieter && e.requests > 0) {
        parts.push_back(fmt::format("{:.1f} a minute (usually {:.1f})", e.rpm, e.usual_rpm));
    }
    if (e.is_new) parts.emplace_back("new: not seen in the usual period");
    return fmt::format("{}", fmt::join(parts, "; "));
}

std::string_view to_string(WindowSample::Reason reason) {
    switch (reason) {
        case WindowSample::Reason::failed:
            return "failed";
        case WindowSample::Reason::slow:
            return "slow";
        case WindowSample::Reason::typical:
            break;
    }
    return "typical";
}

std::vector<SampleEndpoint> sample_endpoints(
    const std::vector<EndpointDeviation>& endpoints, std::size_t max
) {
    std::vector<SampleEndpoint> out;
    for (const auto& e : endpoints) {
        if (!e.deviates() || out.size() >= max) continue;
        out.push_back(SampleEndpoint{e.name, e.usual_p99_ms, e.usual_p50_ms});
    }
    return out;
}

std::vector<WindowSample> choose_samples(
    const std::vector<WindowSample>& offered,
    const std::vector<SampleEndpoint>& endpoints,
    std::size_t max
) {
    using Reason = WindowSample::Reason;
    // Per endpoint (in the given order), the offered ids of each reason, in offered order.
    std::vector<std::map<Reason, std::vector<const WindowSample*>>> queues(endpoints.size());
    for (const auto& s : offered) {
        const auto it = std::find_if(endpoints.begin(), endpoints.end(), [&s](const auto& e) {
            return e.name == s.endpoint;
        });
        if (it != endpoints.end()) {
            queues[static_cast<std::size_t>(it - endpoints.begin())][s.reason].push_back(&s);
        }
    }
    std::size_t comparable = 0;  // endpoints with an abnormal trace and a typical one offered
    for (auto& q : queues) {
        const bool both =
            !q[Reason::typical].empty() && !(q[Reason::failed].empty() && q[Reason::slow].empty());
        comparable += both ? 1 : 0;
    }
    const std::size_t reserve = std::min(comparable, max / 4);
    std::vector<WindowSample> out;
    std::set<std::string> taken;
    std::vector<bool> served(endpoints.size(), false);
    const auto take = [&](std::size_t i, Reason reason, std::size_t& cursor) {
        const auto& list = queues[i][reason];
        while (cursor < list.size() && taken.contains(list[cursor]->trace_id)) ++cursor;
        if (cursor >= list.size()) return false;
        out.push_back(*list[cursor]);
        taken.insert(list[cursor++]->trace_id);
        served[i] = true;
        return true;
    };
    std::vector<std::size_t> failed_at(endpoints.size(), 0);
    std::vector<std::size_t> slow_at(endpoints.size(), 0);
    for (bool more = true; more && out.size() + reserve < max;) {
        more = false;
        for (std::size_t i = 0; i < endpoints.size() && out.size() + reserve < max; ++i) {
            more |= take(i, Reason::failed, failed_at[i]);
            if (out.size() + reserve < max) more |= take(i, Reason::slow, slow_at[i]);
        }
    }
    for (std::size_t i = 0; i < endpoints.size() && out.size() < max; ++i) {
        std::size_t cursor = 0;
        if (served[i]) take(i, Reason::typical, cursor);
    }
    return out;
}

}  // namespace nra
