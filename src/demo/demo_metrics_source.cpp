#include "demo/demo_metrics_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "nra/time_units.hpp"

namespace nra {
namespace {

// One demo endpoint: traffic, latency model and error share, now and in the previous window.
struct DemoEndpoint {
    std::string_view service;
    std::string_view name;
    double rpm;
    double p50_ms, p95_ms, error_rate;  // current window
    double prev_p50_ms, prev_p95_ms, prev_error_rate;
    std::string_view slowest_trace;  // a demo trace of this endpoint, or empty
};

constexpr std::array<DemoEndpoint, 12> kEndpoints{{
    {"web-gateway",
     "POST /api/checkout",
     120,
     900,
     1900,
     0.004,
     700,
     1400,
     0.003,
     "4bf92f3577b34da6a3ce929d0e0e4736"},
    {"web-gateway", "GET /api/cart", 600, 80, 260, 0.0005, 85, 270, 0.0005, ""},
    {"web-gateway", "GET /api/products/:id", 1500, 45, 140, 0.0002, 44, 150, 0.0002, ""},
    {"web-gateway", "POST /api/cart/items", 200, 120, 450, 0.003, 130, 480, 0.015, ""},
    {"web-gateway", "GET /health", 60, 2, 5, 0, 2, 5, 0, ""},
    {"web-gateway", "GET /api/admin/export", 0.2, 4000, 9000, 0.02, 3800, 8000, 0.01, ""},
    {"storefront-bff",
     "GET /api/search",
     300,
     1200,
     2600,
     0.001,
     1100,
     2300,
     0.001,
     "7d3f1c2a9e8b4f6a0c5d2e1f3a4b5c6d"},
    {"storefront-bff", "GET /api/suggest", 900, 60, 180, 0.0003, 60, 175, 0.0003, ""},
    {"api-gateway",
     "POST /api/orders",
     80,
     1100,
     2400,
     0.025,
     900,
     1800,
     0.004,
     "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
    {"api-gateway", "GET /api/orders/:id", 400, 70, 210, 0.0004, 72, 220, 0.0004, ""},
    {"profile-bff",
     "WebTransaction/Expressjs/GET//profile/:userId",
     250,
     700,
     1300,
     0.002,
     650,
     1250,
     0.002,
     "0af7651916cd43dd8448eb211c80319c"},
    {"edge-proxy",
     "GET /api/catalog/featured",
     2000,
     40,
     110,
     0.0001,
     40,
     110,
     0.0001,
     "5f2b7c9d1e3a4b6c8d0e2f4a6b8c0d1e"},
}};

constexpr double kZ95 = 1.6448536;
constexpr double kZ99 = 2.3263479;

// P(duration <= x) for a log-normal with this median and p95.
double below(double x_ms, double p50_ms, double p95_ms) {
    const double sigma = std::log(p95_ms / p50_ms) / kZ95;
    if (x_ms <= 0) return 0;
    return 0.5 * std::erfc(-(std::log(x_ms / p50_ms) / sigma) / std::sqrt(2.0));
}

// The demo incident (demo/README.md): web-gateway's rare gift-card endpoint fails since
// giftcard-service 2.8.0. Part of the last minutes only, so /improve's week does not see it.
constexpr DemoEndpoint kIncidentEndpoint{
    "web-gateway", "POST /api/gift-cards/redeem", 0.6, 25, 60, 0.62, 30, 70, 0.002, ""};

EndpointStats stats_of(const DemoEndpoint& e, bool previous, double days, const StatsQuery& query) {
    const double p50 = previous ? e.prev_p50_ms : e.p50_ms;
    const double p95 = previous ? e.prev_p95_ms : e.p95_ms;
    const double error_rate = previous ? e.prev_error_rate : e.error_rate;
    const double sigma = std::log(p95 / p50) / kZ95;
    const double count = std::round(e.rpm * 60 * 24 * days);
    const double good = count * (1 - error_rate);
    EndpointStats s;
    s.name = std::string(e.name);
    s.count = static_cast<std::int64_t>(count);
    s.throughput_rpm = e.rpm;
    s.p50_ms = p50;
    s.p95_ms = p95;
    s.p99_ms = p50 * std::exp(kZ99 * sigma);
    s.avg_ms = p50 * std::exp(sigma * sigma / 2);
    s.max_ms = p50 * std::exp(4.0 * sigma);
    s.errors = static_cast<std::int64_t>(std::round(count * error_rate));
    const double t = query.apdex_t_ms;
    s.satisfied = static_cast<std::int64_t>(std::round(good * below(t, p50, p95)));
    s.tolerating =
        static_cast<std::int64_t>(std::round(good * (below(4 * t, p50, p95) - below(t, p50, p95))));
    if (query.slow_ms > 0) {
        s.slow =
            static_cast<std::int64_t>(std::round(count * (1 - below(query.slow_ms, p50, p95))));
    }
    return s;
}

bool has_service(std::string_view service) {
    return std::any_of(kEndpoints.begin(), kEndpoints.end(), [&](const DemoEndpoint& e) {
        return e.service == service;
    });
}

std::vector<std::string> service_names() {
    std::vector<std::string> names;
    for (const auto& e : kEndpoints) {
        if (std::find(names.begin(), names.end(), e.service) == names.end()) {
            names.emplace_back(e.service);
        }
    }
    return names;
}

// Names sharing a word-ish fragment with `service`, for "did you mean".
std::vector<std::string> similar(const std::string& service) {
    std::vector<std::string> out;
    for (const auto& name : service_names()) {
        const auto stem = name.substr(0, name.find('-'));
        if (service.find(stem) != std::string::npos || name.find(service) != std::string::npos) {
            out.push_back(name);
        }
    }
    if (out.empty()) out = service_names();
    return out;
}

// Review dates of the demo SLOs (days since 1970-01-01).
constexpr std::int64_t kJune1 = 20605;       // 2026-06-01
constexpr std::int64_t kSeptember1 = 20697;  // 2026-09-01
constexpr std::int64_t kOctober15 = 20741;   // 2026-10-15

// How the bad events of past windows compare with the current window's (oldest first, the last is
// the current one; older windows repeat the pattern), so the review digest has something to say:
// web-gateway's availability is fine as it is (keep), its latency target is met with a wide margin
// (tighten), orders missed twice with nobody acting (loosen), and search's 99.999 % is far above
// anything it ever achieved (loosen).
struct DemoHistory {
    std::string_view service;
    SloKind kind;
    std::array<double, 6> bad_factor;
};
constexpr std::array<DemoHistory, 3> kHistories{{
    {"web-gateway", SloKind::availability, {0.9, 1.2, 0.8, 1.1, 0.7, 1.0}},
    {"web-gateway", SloKind::latency, {0.8, 1.0, 0.9, 0.7, 1.05, 1.0}},
    {"api-gateway", SloKind::availability, {0.3, 0.35, 0.4, 0.5, 0.8, 1.0}},
}};
constexpr std::array<double, 6> kSteady{1, 1, 1, 1, 1, 1};

const std::array<double, 6>& history_factors(const SloSpec& slo) {
    for (const auto& h : kHistories) {
        if (h.service == slo.service && h.kind == slo.kind) return h.bad_factor;
    }
    return kSteady;
}

// The SLO's counts over one of its windows, with bad events scaled by `bad_factor`.
SloCounts demo_slo_counts(const SloSpec& slo, double bad_factor) {
    SloCounts counts;
    StatsQuery query;
    query.service = slo.service;
    query.window_days = slo.window_days;
    query.slow_ms = slo.latency_ms;
    const double hours = slo.window_days * 24.0;
    for (const auto& e : kEndpoints) {
        if (e.service != slo.service || !glob_match(slo.endpoint, std::string(e.name))) continue;
        const auto s = stats_of(e, false, slo.window_days, query);
        const auto raw = slo.kind == SloKind::latency ? s.slow : s.errors;
        const auto bad = std::min(
            s.count, static_cast<std::int64_t>(std::round(static_cast<double>(raw) * bad_factor))
        );
        counts.total += s.count;
        counts.bad += bad;
        counts.recent_total +=
            static_cast<std::int64_t>(std::round(static_cast<double>(s.count) / hours));
        counts.recent_bad +=
            static_cast<std::int64_t>(std::round(static_cast<double>(bad) / hours));
    }
    return counts;
}

}  // namespace

DemoMetricsSource::DemoMetricsSource(WallClock clock) : clock_(std::move(clock)) {
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

boost::asio::awaitable<StatsResult> DemoMetricsSource::service_stats(StatsQuery query) {
    StatsResult result;
    if (!has_service(query.service)) {
        result.status = FetchStatus::not_found;
        result.did_you_mean = similar(query.service);
        co_return result;
    }
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
    // Explicit periods (/incident): their lengths, and the incident endpoint in the window.
    const bool given = query.window.until_ms > query.window.since_ms;
    const auto days_of = [](const ReportWindow& w) {
        return double(w.until_ms - w.since_ms) / kDayMs;
    };
    const double days = given ? days_of(query.window) : query.window_days;
    const double usual_days =
        given && query.usual.until_ms > query.usual.since_ms ? days_of(query.usual) : days;
    result.status = FetchStatus::found;
    result.stats.service = query.service;
    result.stats.kind = query.service == "profile-bff" ? ServiceKind::apm : ServiceKind::otel;
    result.stats.window =
        given ? query.window : ReportWindow{now - std::int64_t(days * kDayMs), now};
    for (const auto& e : kEndpoints) {
        if (e.service != query.service) continue;
        result.stats.endpoints.push_back(stats_of(e, false, days, query));
        result.stats.previous.push_back(stats_of(e, true, usual_days, query));
    }
    if (given && kIncidentEndpoint.service == query.service) {
        result.stats.endpoints.push_back(stats_of(kIncidentEndpoint, false, days, query));
        result.stats.previous.push_back(stats_of(kIncidentEndpoint, true, usual_days, query));
    }
    co_return result;
}

boost::asio::awaitable<SloResult> DemoMetricsSource::slo_counts(SloSpec slo) {
    SloResult result;
    result.counts = demo_slo_counts(slo, 1.0);
    if (result.counts.total == 0) {
        result.status = FetchStatus::not_found;
        result.message = fmt::format("no data for SLO {} in the demo dataset", slo.name);
        co_return result;
    }
    result.status = FetchStatus::found;
    co_return result;
}

boost::asio::awaitable<SloHistoryResult> DemoMetricsSource::slo_history(SloSpec slo, int windows) {
    SloHistoryResult result;
    const auto factors = history_factors(slo);
    const auto n = std::clamp(windows, 1, 24);
    const std::int64_t length = std::int64_t{std::clamp(slo.window_days, 1, 366)} * kDayMs;
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
    for (int i = 0; i < n; ++i) {
        const int back = n - 1 - i;  // windows before the current one
        const double factor =
            factors[factors.size() - 1 - (static_cast<std::size_t>(back) % factors.size())];
        const auto counts = demo_slo_counts(slo, factor);
        slo::WindowCounts w;
        w.until_ms = now - back * length;
        w.since_ms = w.until_ms - length;
        w.total = counts.total;
        w.bad = counts.bad;
        result.windows.push_back(w);
    }
    if (result.windows.back().total == 0) {
        result.status = FetchStatus::not_found;
        result.message = fmt::format("no data for SLO {} in the demo dataset", slo.name);
        result.windows.clear();
        co_return result;
    }
    result.status = FetchStatus::found;
    co_return result;
}

boost::asio::awaitable<TraceIdsResult> DemoMetricsSource::slowest_traces(
    std::string service, std::string endpoint, int count, int /*window_days*/
) {
    TraceIdsResult result;
    result.status = FetchStatus::found;
    for (const auto& e : kEndpoints) {
        if (e.service == service && e.name == endpoint && !e.slowest_trace.empty() && count > 0) {
            result.trace_ids.emplace_back(e.slowest_trace);
        }
    }
    co_return result;
}

boost::asio::awaitable<ServiceListResult> DemoMetricsSource::services(int /*window_days*/) {
    ServiceListResult result;
    result.status = FetchStatus::found;
    result.services = service_names();
    co_return result;
}

ImproveConfig demo_improve_config() {
    ImproveConfig config;
    SloSpec availability;
    availability.name = "web-gateway-availability";
    availability.service = "web-gateway";
    availability.kind = SloKind::availability;
    availability.target = 0.999;
    availability.window_days = 30;
    availability.review = {
        "platform team",
        90,
        kOctober15,
        "One failed checkout in a thousand is "
        "what support can still answer by hand."};
    SloSpec latency;
    latency.name = "web-gateway-latency";
    latency.service = "web-gateway";
    latency.kind = SloKind::latency;
    latency.target = 0.9;
    latency.latency_ms = 1000;
    latency.window_days = 28;
    latency.review = {"platform team", 90, std::nullopt, "Pages should feel instant."};
    SloSpec orders;
    orders.name = "orders-availability";
    orders.service = "api-gateway";
    orders.endpoint = "POST /api/orders";
    orders.target = 0.99;
    orders.window_days = 7;
    orders.review = {"orders team", 90, kJune1, "An order that fails is a customer who calls."};
    SloSpec search;
    search.name = "search-availability";
    search.service = "storefront-bff";
    search.endpoint = "GET /api/search";
    search.target = 0.99999;
    search.window_days = 30;
    search.review = {"search team", 180, kSeptember1, "Every search error is investigated."};
    config.slos = {availability, latency, orders, search};
    config.slo_review.retention_days = 400;  // the demo keeps every window it shows
    config.repositories["*"] = "https://github.com/acme/{service}/blob/main/{filepath}#L{lineno}";
    return config;
}

}  // namespace nra
