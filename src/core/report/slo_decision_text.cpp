// Thread notes for SLO review decisions (slo_digest.hpp).
#include <fmt/format.h>

#include "core/report/report_format.hpp"
#include "nra/render/render.hpp"
#include "nra/report/slo_digest.hpp"
#include "nra/time_units.hpp"

namespace nra::slo {
namespace {

std::string target_text(const SloSpec& spec) {
    auto text = report_format::target_percent(spec.target);
    if (spec.kind == SloKind::latency) {
        text += " within " + report_format::ms(spec.latency_ms);
    }
    return text;
}

std::string next_review(const SloSpec& spec, const ReviewDecision& decision) {
    if (spec.review.interval_days <= 0) return {};
    const auto day = decision.at_s / 86'400 + spec.review.interval_days;
    return fmt::format(" Next review due {}.", report_format::iso_date(day * kDayMs));
}

}  // namespace

std::string decision_note(
    const SloSpec& spec, const ReviewDecision& decision, const Advice* advice
) {
    const auto who = owner_mention(decision.user);
    const auto when = report_format::iso_date(decision.at_s * 1000);
    const auto name = slack_escape(spec.name);
    if (decision.decision == "keep") {
        return fmt::format(
            ":white_check_mark: {} reviewed *{}* on {}: keep {}.{}",
            who,
            name,
            when,
            target_text(spec),
            next_review(spec, decision)
        );
    }
    std::string text = fmt::format(
        ":memo: {} proposes changing *{}* (now {}) on {}.", who, name, target_text(spec), when
    );
    if (advice != nullptr && advice->proposed_target) {
        text += fmt::format(
            " The digest suggests {}: {}",
            report_format::target_percent(*advice->proposed_target),
            slack_escape(advice->because)
        );
    }
    text +=
        " Agree on the new target in this thread, then change it in the `slos:` section of "
        "nr-analyzer.yaml." +
        next_review(spec, decision);
    return text;
}

std::string decision_already_text(const ReviewDecision& existing) {
    return fmt::format(
        "This digest already records a decision on *{}*: {} by {} on {}.",
        slack_escape(existing.slo),
        existing.decision == "keep" ? "keep" : "propose a change",
        owner_mention(existing.user),
        report_format::iso_date(existing.at_s * 1000)
    );
}

}  // namespace nra::slo
