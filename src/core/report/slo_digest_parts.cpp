// The SLO review digest's shared wording (slo_digest_parts.hpp).
#include "core/report/slo_digest_parts.hpp"

#include <fmt/format.h>

#include "core/render/render_util.hpp"
#include "core/report/report_format.hpp"
#include "nra/report/slo_math.hpp"
#include "nra/time_units.hpp"

namespace nra::slo_parts {
namespace {

namespace rf = report_format;

// The advice's slack: a window that spent exactly its budget counts as met (slo_review.cpp).
constexpr double kEps = 1e-9;

}  // namespace

std::string kind_text(const SloSpec& spec) {
    return spec.kind == SloKind::latency ? "latency within " + rf::ms(spec.latency_ms)
                                         : std::string("availability");
}

std::string promise_text(const SloSpec& spec) {
    return fmt::format(
        "{} · {} over {} day{}",
        kind_text(spec),
        rf::target_percent(spec.target),
        spec.window_days,
        spec.window_days == 1 ? "" : "s"
    );
}

std::string spec_line(const SloSpec& spec) {
    std::string out = spec.service;
    if (spec.endpoint != "*" && !spec.endpoint.empty()) {
        out += " · endpoints " + spec.endpoint;
    }
    return out + " · " + promise_text(spec);
}

std::optional<bool> window_met(const SloSpec& spec, const slo::WindowCounts& window) {
    const auto left = slo::budget_remaining(window.total, window.bad, spec.target);
    return left ? std::optional(*left >= -kEps) : std::nullopt;
}

std::string window_range(const slo::WindowCounts& window) {
    return rf::window_text(ReportWindow{window.since_ms, window.until_ms});
}

std::string budget_text(const SloSpec& spec, const slo::WindowCounts& window) {
    const auto left = slo::budget_remaining(window.total, window.bad, spec.target);
    if (!left) {
        return {};
    }
    return *left >= 0 ? slo::budget_percent(*left, false) + " of budget left"
                      : "budget used up (" + slo::budget_percent(1.0 - *left, true) + " spent)";
}

std::string window_figures(const SloSpec& spec, const slo::WindowCounts& window) {
    const auto att = slo::attainment(window.total, window.bad);
    if (!att) {
        return "no data";
    }
    const auto met = window_met(spec, window);
    if (!met) {
        return rf::percent(*att);  // an invalid target: attainment is all there is
    }
    return fmt::format(
        "{} ({}, {})",
        slo::attainment_percent(*att, spec.target),
        *met ? "met" : "missed",
        budget_text(spec, window)
    );
}

std::string suggestion_label(const SloSpec& spec, const slo::Advice& advice) {
    const std::string proposed =
        advice.proposed_target ? " to " + rf::target_percent(*advice.proposed_target) : "";
    switch (advice.suggestion) {
        case slo::Suggestion::keep:
            return "Keep " + rf::target_percent(spec.target);
        case slo::Suggestion::tighten:
            return "Tighten" + proposed;
        case slo::Suggestion::loosen:
            return "Loosen" + proposed;
        case slo::Suggestion::no_data:
            break;
    }
    return "Not enough data";
}

std::string stops_sentence(const slo::Advice& advice) {
    if (advice.windows_with_data <= 0) {
        return {};
    }
    return fmt::format(
        "The error budget policy would have stopped releases in {} of {}.",
        advice.release_stops,
        render_detail::counted(static_cast<std::size_t>(advice.windows_with_data), "window")
    );
}

std::string spender_figures(const SloSpec& spec, const slo::BudgetSpender& spender) {
    const bool one = spender.bad == 1;
    const char* noun = spec.kind == SloKind::latency ? (one ? "slow request" : "slow requests")
                                                     : (one ? "error" : "errors");
    return fmt::format(
        "{} {} ({})", rf::thousands(spender.bad), noun, slo::budget_percent(spender.share, true)
    );
}

std::string review_text(const slo::DigestEntry& entry) {
    if (entry.overdue_days) {
        const int days = *entry.overdue_days;
        if (days <= 0) {
            return "Review due today";
        }
        return fmt::format("Review {} day{} overdue", days, days == 1 ? "" : "s");
    }
    const SloReview& review = entry.spec.review;
    if (review.interval_days <= 0 || !review.last_reviewed_days) {
        return {};
    }
    const std::int64_t next = *review.last_reviewed_days + review.interval_days;
    return "Next review " + rf::iso_date(next * kDayMs);
}

std::string decision_text(const slo::ReviewDecision& decision, const std::string& who) {
    return fmt::format(
        "Last review: {}{} on {}",
        decision.decision,
        who.empty() ? "" : ", by " + who,
        rf::iso_date(decision.at_s * 1000)
    );
}

std::vector<std::string> due_names(const slo::Digest& digest) {
    std::vector<std::string> out;
    for (const slo::DigestEntry& entry : digest.slos) {
        if (entry.overdue_days) {
            out.push_back(entry.spec.name);
        }
    }
    return out;
}

std::string counts_text(const slo::Digest& digest) {
    const std::size_t due = due_names(digest).size();
    return fmt::format(
        "{}, {}",
        render_detail::counted(digest.slos.size(), "SLO"),
        due == 0 ? std::string("no review due") : render_detail::counted(due, "review") + " due"
    );
}

}  // namespace nra::slo_parts
