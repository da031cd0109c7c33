// SLO reviews: keep/tighten/loosen suggestions and plain sentences (slo_review.hpp). The rules
// follow the SRE Workbook ("Implementing SLOs", "Error Budget Policy"); the arithmetic is
// slo_math's.
#include "nra/report/slo_review.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "core/report/report_format.hpp"
#include "nra/report/slo_math.hpp"
#include "nra/time_units.hpp"

namespace nra::slo {
namespace {

// Floating-point slack: a window that spent exactly its budget (1,000 errors of 1,000,000 at
// 99.9 %) counts as met, and a tie at the wide margin does not count as wide.
constexpr double kEps = 1e-9;
// Targets people recognise; proposals land on these (below 50 %: whole percents).
// clang-format off
constexpr std::array kSteps{0.5, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999,
                           0.9995, 0.9998, 0.9999, 0.99995, 0.99999};
// clang-format on

struct Window {
    std::int64_t since_ms = 0;
    double attainment = 0, remaining = 0, burn = 0;
    bool met() const { return remaining >= -kEps; }
};

std::vector<Window> with_data(const SloSpec& spec, const std::vector<WindowCounts>& history) {
    std::vector<Window> out;
    for (const WindowCounts& w : history) {
        const auto att = attainment(w.total, w.bad);
        const auto left = budget_remaining(w.total, w.bad, spec.target);
        const auto burn = burn_rate(w.total, w.bad, spec.target);
        if (att && left && burn) {
            out.push_back({w.since_ms, *att, *left, *burn});
        }
    }
    return out;
}

// The highest step at or below `attainment` and strictly below `target`; nullopt below 1 %.
std::optional<double> round_down(double attainment, double target) {
    // NOLINTNEXTLINE(modernize-loop-convert): views::reverse trips clang on libstdc++ 12
    for (auto it = kSteps.rbegin(); it != kSteps.rend(); ++it) {  // highest first
        if (*it <= attainment + kEps && *it < target - kEps) return *it;
    }
    const double whole = std::floor(attainment * 100.0 + 1e-7) / 100.0;
    return whole >= 0.01 && whole < target ? std::optional(whole) : std::nullopt;
}

std::optional<double> step_above(double target) {
    for (const double step : kSteps) {
        if (step > target + kEps) {
            return step;
        }
    }
    return std::nullopt;
}

// "99.90" → "99.9", "30.0" → "30" (only ever called on fixed-point text with a dot).
std::string trim_zeros(std::string text) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') {
        text.pop_back();
    }
    return text;
}

// Attainment in percent, truncated (never looks better than it was), with 2+ decimals: as many
// as it takes to tell it apart from the target, and never "100" while anything was bad.
std::string attainment_text_impl(double attainment, double target) {
    const double pct = attainment * 100.0;
    const double target_pct = target * 100.0;
    std::string text;
    for (int d = 2; d <= 6; ++d) {
        const double scale = std::pow(10.0, d);
        double shown = std::floor(pct * scale + 1e-6) / scale;
        if (attainment < 1.0) {
            shown = std::min(shown, 100.0 - 1.0 / scale);
        }
        text = fmt::format("{:.{}f}", shown, d);
        const bool same_as_target = std::fabs(shown - target_pct) < 0.5 / scale;
        if (!same_as_target || std::fabs(pct - target_pct) < 1e-7) {
            break;
        }
    }
    return trim_zeros(text) + " %";
}

// Share of an error budget: whole percents from 10 %, one decimal below; `up` rounds up (spent),
// otherwise down (left), so small spends never vanish and "left" never flatters.
std::string budget_text_impl(double fraction, bool up) {
    const double pct = fraction * 100.0;
    const double scale = std::fabs(pct) < 9.95 ? 10.0 : 1.0;
    const double shown =
        up ? std::ceil(pct * scale - 1e-6) / scale : std::floor(pct * scale + 1e-6) / scale;
    return trim_zeros(fmt::format("{:.1f}", shown == 0.0 ? 0.0 : shown)) + " %";  // no "-0"
}

std::string windows_text(int n) {
    return fmt::format("{} window{}", n, n == 1 ? "" : "s");
}

std::string range_text(const std::string& low, const std::string& high) {
    return low == high ? low : fmt::format("{}–{}", low.substr(0, low.size() - 2), high);
}

// The windows with the lowest and highest attainment (also the most and least budget spent).
std::pair<Window, Window> extremes(std::span<const Window> windows) {
    const auto [lo, hi] = std::minmax_element(windows.begin(), windows.end(), [](auto& a, auto& b) {
        return a.attainment < b.attainment;
    });
    return {*lo, *hi};
}

// "99.5–99.8 %" (attainment), "10–130 %" (budget spent).
std::string attainment_range(std::span<const Window> windows, double target) {
    const auto [lo, hi] = extremes(windows);
    return range_text(
        attainment_percent(lo.attainment, target), attainment_percent(hi.attainment, target)
    );
}

std::string spent_range(std::span<const Window> windows) {
    const auto [lo, hi] = extremes(windows);
    return range_text(
        budget_percent(1.0 - hi.remaining, true), budget_percent(1.0 - lo.remaining, true)
    );
}

Advice tally(const std::vector<Window>& windows) {
    Advice out;
    out.windows_with_data = static_cast<int>(windows.size());
    for (const Window& w : windows) {
        out.windows_met += w.met() ? 1 : 0;
        out.release_stops += w.met() ? 0 : 1;
        out.best_attainment = std::max(out.best_attainment.value_or(0.0), w.attainment);
        out.worst_attainment = std::min(out.worst_attainment.value_or(1.0), w.attainment);
    }
    return out;
}

std::string stops_text(const Advice& out) {
    return fmt::format(
        "releases would have stopped in {} of {}",
        out.release_stops,
        windows_text(out.windows_with_data)
    );
}

bool loosen_unreachable(
    const SloSpec& spec, std::span<const Window> windows, const ReviewOptions& options, Advice& out
) {
    const auto best = std::min_element(windows.begin(), windows.end(), [](auto& a, auto& b) {
        return a.burn < b.burn;
    });
    if (best->burn <= options.far_above + kEps) {
        return false;
    }
    const std::string target = report_format::target_percent(spec.target);
    out.suggestion = Suggestion::loosen;
    out.proposed_target = round_down(*out.worst_attainment, spec.target);
    out.because = fmt::format(
        "Even the best of {} reached only {} against the promised {} (it spent {} its error "
        "budget); the worst reached {}, and {}.",
        windows_text(out.windows_with_data),
        attainment_percent(best->attainment, spec.target),
        target,
        report_format::times(best->burn),
        attainment_percent(*out.worst_attainment, spec.target),
        stops_text(out)
    );
    out.rule =
        "SRE Workbook, \"Implementing SLOs\": a target should reflect what users need and what the "
        "service can achieve; an SLO that is always broken gives no signal.";
    return true;
}

bool loosen_missed(
    const SloSpec& spec, std::span<const Window> windows, const ReviewOptions& options, Advice& out
) {
    const auto n = static_cast<std::size_t>(std::max(1, options.loosen_missed_windows));
    if (windows.size() < n) {
        return false;
    }
    const auto recent = windows.last(n);
    if (std::any_of(recent.begin(), recent.end(), [](const Window& w) { return w.met(); })) {
        return false;
    }
    const auto reviewed = spec.review.last_reviewed_days;
    if (reviewed && *reviewed * kDayMs >= recent.front().since_ms) {
        return false;  // someone looked at it while it was missing: their call stands
    }
    out.suggestion = Suggestion::loosen;
    out.proposed_target = round_down(extremes(recent).first.attainment, spec.target);
    out.because = fmt::format(
        "The last {} all missed {} (they reached {}), {}, and no review has acted on it since.",
        windows_text(static_cast<int>(n)),
        report_format::target_percent(spec.target),
        attainment_range(recent, spec.target),
        stops_text(out)
    );
    out.rule =
        "SRE Workbook, \"Error Budget Policy\": a budget exceeded over the preceding window halts "
        "releases; when that keeps happening and nobody acts, the SLO no longer reflects reality.";
    return true;
}

bool tighten(
    const SloSpec& spec, std::span<const Window> windows, const ReviewOptions& options, Advice& out
) {
    const auto n = static_cast<std::size_t>(std::max(1, options.tighten_windows));
    const auto next = step_above(spec.target);
    if (windows.size() < n || !next) {
        return false;
    }
    const auto recent = windows.last(n);
    const bool fits = std::all_of(recent.begin(), recent.end(), [&](const Window& w) {
        return w.remaining > options.wide_margin + kEps && w.attainment >= *next - kEps;
    });
    if (!fits) {
        return false;
    }
    out.suggestion = Suggestion::tighten;
    out.proposed_target = next;
    out.because = fmt::format(
        "The last {} spent only {} of their error budget against {} (they reached {}), so every "
        "one of them would also have met {}.",
        windows_text(static_cast<int>(n)),
        spent_range(recent),
        report_format::target_percent(spec.target),
        attainment_range(recent, spec.target),
        report_format::target_percent(*next)
    );
    out.rule =
        "SRE Workbook, \"Implementing SLOs\": users come to expect the reliability you actually "
        "deliver, not the one you promise; tighten the target or spend the spare budget on faster "
        "releases.";
    return true;
}

void keep(const SloSpec& spec, std::span<const Window> windows, Advice& out) {
    out.suggestion = Suggestion::keep;
    out.because = fmt::format(
        "{} was met in {} of {}; error budget spent per window: {}.",
        report_format::target_percent(spec.target),
        out.windows_met,
        windows_text(out.windows_with_data),
        spent_range(windows)
    );
    out.rule =
        "SRE Workbook, \"Implementing SLOs\": review SLOs on a regular rhythm; this target fits "
        "what the service delivers, so keep it.";
}

}  // namespace

std::string_view to_string(Suggestion suggestion) {
    constexpr std::array<std::string_view, 4> kNames{"keep", "tighten", "loosen", "no_data"};
    const auto index = static_cast<std::size_t>(suggestion);
    return index < kNames.size() ? kNames[index] : "no_data";
}

Advice advise(
    const SloSpec& spec, const std::vector<WindowCounts>& history, const ReviewOptions& options
) {
    const std::vector<Window> windows = with_data(spec, history);
    Advice out = tally(windows);
    out.rule =
        "SRE Workbook, \"Implementing SLOs\": change a target on measured data, not on a hunch.";
    if (!(spec.target > 0.0 && spec.target < 1.0)) {
        out.because = "The target must be between 0 and 100 %.";
        return out;
    }
    const int needed = std::max(1, options.min_windows);
    if (out.windows_with_data < needed) {
        out.because = fmt::format(
            "Only {} with data ({} needed before suggesting a change).",
            windows_text(out.windows_with_data),
            needed
        );
        return out;
    }
    if (!loosen_unreachable(spec, windows, options, out) &&
        !loosen_missed(spec, windows, options, out) && !tighten(spec, windows, options, out)) {
        keep(spec, windows, out);
    }
    return out;
}

namespace {

struct Period {
    std::string when;   // "this month"
    std::string whose;  // "the month's"
};

Period period(int window_days) {
    struct Named {
        int days;
        const char* when;
        const char* whose;
    };
    static constexpr std::array<Named, 5> kNamed{{
        {30, "this month", "the month's"},
        {28, "these 4 weeks", "these 4 weeks'"},
        {14, "these two weeks", "the two weeks'"},
        {7, "this week", "the week's"},
        {1, "today", "today's"},
    }};
    for (const Named& named : kNamed) {
        if (named.days == window_days) {
            return {named.when, named.whose};
        }
    }
    return {fmt::format("these {} days", window_days), fmt::format("these {} days'", window_days)};
}

std::string budget_clause(double remaining, const Period& when) {
    if (remaining <= kEps) {
        return fmt::format(
            "{} error budget is used up ({} spent)",
            when.whose,
            budget_percent(1.0 - remaining, true)
        );
    }
    std::string left = budget_percent(remaining, false);
    if (left == "0 %") {
        left = "under 0.1 %";
    }
    return fmt::format("{} of {} error budget is left", left, when.whose);
}

}  // namespace

std::string plain_summary(
    const SloSpec& spec, const std::string& label, const WindowCounts& window
) {
    const Period when = period(spec.window_days);
    const auto att = attainment(window.total, window.bad);
    if (!att) {
        return fmt::format("{} had no requests to measure {}.", label, when.when);
    }
    const std::string how = spec.kind == SloKind::latency
                                ? "within " + report_format::ms(spec.latency_ms)
                                : std::string("without an error");
    std::string text = fmt::format(
        "{} answered {} of requests {} {}; the promise is {}",
        label,
        attainment_percent(*att, spec.target),
        how,
        when.when,
        report_format::target_percent(spec.target)
    );
    if (const auto left = budget_remaining(window.total, window.bad, spec.target)) {
        text += "; " + budget_clause(*left, when);
    }
    return text + ".";
}

std::string attainment_percent(double attainment, double target) {
    return attainment_text_impl(attainment, target);
}

std::string budget_percent(double fraction, bool up) {
    return budget_text_impl(fraction, up);
}

std::optional<int> review_overdue_days(const SloSpec& spec, std::int64_t today_days) {
    if (spec.review.interval_days <= 0) {
        return std::nullopt;
    }
    if (!spec.review.last_reviewed_days) {
        return 0;  // never reviewed: due today
    }
    const std::int64_t overdue =
        today_days - (*spec.review.last_reviewed_days + spec.review.interval_days);
    if (overdue < 0) {
        return std::nullopt;
    }
    return static_cast<int>(std::min<std::int64_t>(overdue, 1'000'000));
}

}  // namespace nra::slo
