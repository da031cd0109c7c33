#include "slo_review_digest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "nra/time_units.hpp"

namespace nra {
namespace {

using boost::asio::awaitable;

constexpr std::size_t kSpenders = 3;
constexpr int kMaxWindows = 24;
constexpr int kStatsMaxDays = 30;

std::string configured_services(const ImproveConfig& config) {
    std::vector<std::string> names;
    for (const auto& s : config.slos) {
        const auto quoted = quoted_name(s.service);
        if (std::find(names.begin(), names.end(), quoted) == names.end()) names.push_back(quoted);
    }
    return fmt::format("{}", fmt::join(names, ", "));
}

// How many windows to ask for, and a note when what New Relic keeps allows fewer.
int windows_to_ask(const SloSpec& spec, const SloReviewSettings& settings, std::string& note) {
    const int wanted = std::clamp(settings.windows, 1, kMaxWindows);
    const int window = std::max(1, spec.window_days);
    const int kept = settings.retention_days / window;
    if (kept >= wanted) return wanted;
    if (kept == 0) {
        note = fmt::format(
            "New Relic keeps {} days of events, less than one {}-day window: the figures cover "
            "those {} days and there is no history to suggest a change from "
            "(slo_review.retention_days)",
            settings.retention_days,
            window,
            settings.retention_days
        );
        return 1;
    }
    note = fmt::format(
        "New Relic keeps {} days of events: {} of the {} {}-day windows asked for "
        "(slo_review.retention_days)",
        settings.retention_days,
        kept,
        wanted,
        window
    );
    return kept;
}

// The endpoints of the SLO with the most bad events in the statistics' window.
std::vector<slo::BudgetSpender> spenders_of(const SloSpec& spec, const ServiceStats& stats) {
    std::vector<slo::BudgetSpender> out;
    std::int64_t all = 0;
    for (const auto& e : stats.endpoints) {
        if (!glob_match(spec.endpoint, e.name)) continue;
        const auto bad = spec.kind == SloKind::latency ? e.slow : e.errors;
        if (bad <= 0) continue;
        all += bad;
        out.push_back({e.name, bad, 0});
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.bad > b.bad;
    });
    if (out.size() > kSpenders) out.resize(kSpenders);
    for (auto& s : out) s.share = static_cast<double>(s.bad) / static_cast<double>(all);
    return out;
}

// One digest asks for a service's statistics once per window and threshold, however many of its
// SLOs share them; a failed answer (nullopt) is not asked for again either.
using StatsCache = std::map<std::string, std::optional<ServiceStats>>;

awaitable<std::vector<slo::BudgetSpender>> fetch_spenders(
    const Ports& ports, SloSpec spec, StatsCache* cache
) {
    StatsQuery query;
    query.service = spec.service;
    query.window_days = std::clamp(spec.window_days, 1, kStatsMaxDays);
    query.apdex_t_ms = thresholds_for(*ports.improve, spec.service, "*").apdex_t_ms;
    query.slow_ms = spec.kind == SloKind::latency ? spec.latency_ms : 0;
    const auto key = fmt::format(
        "{}|{}|{}|{}", query.service, query.window_days, query.apdex_t_ms, query.slow_ms
    );
    auto it = cache->find(key);
    if (it == cache->end()) {
        auto stats = co_await ports.metrics->service_stats(std::move(query));
        std::optional<ServiceStats> kept;
        if (stats.status == FetchStatus::found) kept = std::move(stats.stats);
        it = cache->emplace(key, std::move(kept)).first;
    }
    if (!it->second) co_return std::vector<slo::BudgetSpender>{};
    co_return spenders_of(spec, *it->second);
}

awaitable<std::optional<slo::ReviewDecision>> latest_decision(
    ReviewStore* reviews, std::string name
) {
    if (reviews == nullptr) co_return std::nullopt;
    auto all = co_await reviews->decisions(std::move(name));
    if (all.empty()) co_return std::nullopt;
    co_return all.back();
}

awaitable<slo::DigestEntry> review_one(
    const Ports& ports, ReviewStore* reviews, SloSpec spec, std::int64_t now_ms, StatsCache* stats
) {
    slo::DigestEntry entry;
    entry.spec = spec;
    entry.last_decision = co_await latest_decision(reviews, spec.name);
    entry.spec.review.last_reviewed_days = last_review_days(spec, entry.last_decision);
    entry.overdue_days = slo::review_overdue_days(entry.spec, now_ms / kDayMs);
    if (spec.kind == SloKind::latency && spec.latency_ms <= 0) {
        entry.problem = fmt::format(
            "{} could not be computed: it is a latency SLO without a threshold (latency_ms)",
            spec.name
        );
        co_return entry;
    }
    const int windows = windows_to_ask(spec, ports.improve->slo_review, entry.history_note);
    auto history = co_await ports.metrics->slo_history(spec, windows);
    if (history.status == FetchStatus::not_found) {
        entry.advice = slo::advise(spec, {});
        entry.summary = fmt::format("{} has no data to measure yet.", spec.service);
        entry.history_note = history.message;
        co_return entry;
    }
    if (history.status != FetchStatus::found || history.windows.empty()) {
        entry.problem = fmt::format("{} could not be computed: {}", spec.name, history.message);
        co_return entry;
    }
    entry.history = std::move(history.windows);
    entry.advice = slo::advise(spec, entry.history);
    entry.summary = slo::plain_summary(spec, spec.service, entry.history.back());
    entry.spenders = co_await fetch_spenders(ports, spec, stats);
    co_return entry;
}

}  // namespace

const SloSpec* find_slo(const ImproveConfig& config, const std::string& name) {
    for (const auto& s : config.slos) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

std::optional<std::int64_t> last_review_days(
    const SloSpec& spec, const std::optional<slo::ReviewDecision>& decision
) {
    auto last = spec.review.last_reviewed_days;
    if (decision) {
        const std::int64_t day = decision->at_s / 86'400;
        if (!last || day > *last) last = day;
    }
    return last;
}

awaitable<Result<slo::Digest>> produce_slo_digest(const Ports& ports, DigestRequest request) {
    if (ports.metrics == nullptr || ports.improve == nullptr) {
        co_return make_error(improve_unavailable(ports));
    }
    slo::Digest digest;
    const bool all = request.service.empty() || request.service == "all";
    digest.scope = all ? std::string("all") : request.service;
    digest.generated_ms = request.now_ms;
    StatsCache stats;
    for (const auto& spec : ports.improve->slos) {
        if (!all && spec.service != request.service) continue;
        auto entry = co_await review_one(ports, ports.reviews, spec, request.now_ms, &stats);
        digest.slos.push_back(std::move(entry));
    }
    if (digest.slos.empty()) {
        co_return make_error(
            ports.improve->slos.empty() ? std::string("no SLO is configured (the `slos:` section)")
                                        : fmt::format(
                                              "no SLO is configured for {}; SLOs exist for {}",
                                              quoted_name(request.service),
                                              configured_services(*ports.improve)
                                          )
        );
    }
    co_return digest;
}

}  // namespace nra
