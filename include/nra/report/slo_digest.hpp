// The SLO review digest: for each SLO, attainment over its last windows, the budget and
// what spent it, the keep/tighten/loosen advice with its numbers, a plain sentence, and whether
// its review is due. Built by handlers/slo_digest.cpp from the MetricsSource; rendered here for
// the terminal, as JSON and as Slack Block Kit. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nra/render/block_message.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/report/slo_review.hpp"

namespace nra::slo {

// Buttons under a due review. Their value is the SLO's name (configuration names are ≤ 200
// characters); the handler looks the SLO up again and ignores anything else.
inline constexpr const char* kReviewKeepAction = "slo_review_keep";
inline constexpr const char* kReviewChangeAction = "slo_review_change";

// One endpoint's share of an SLO's bad events (errors, or requests over the latency threshold)
// in the current window: "what spent the budget".
struct BudgetSpender {
    std::string endpoint;
    std::int64_t bad = 0;
    double share = 0;  // of the SLO's bad events, 0..1
};

// A decision recorded from the digest's buttons.
struct ReviewDecision {
    std::string slo;        // SLO name
    std::string decision;   // "keep" or "change"
    std::string user;       // Slack user id of who pressed
    std::int64_t at_s = 0;  // epoch seconds
};

struct DigestEntry {
    SloSpec spec;
    // Why this SLO could not be computed (New Relic error, contradictory configuration), one line
    // naming the SLO; empty when it was computed. Other SLOs of the digest are unaffected.
    std::string problem;
    // About the history, e.g. "New Relic keeps 8 days of events: only the current 30-day window";
    // empty when every asked window was queried.
    std::string history_note;
    std::vector<WindowCounts> history;  // oldest first; the last one is the current window
    Advice advice;
    std::string summary;                  // plain_summary of the current window (empty on problem)
    std::optional<int> overdue_days;      // review due: days past the date (0 = due today)
    std::vector<BudgetSpender> spenders;  // most bad events first, at most 3
    std::optional<ReviewDecision> last_decision;  // the latest recorded one, if any
};

struct Digest {
    std::string scope;  // the service asked for, or "all"
    std::int64_t generated_ms = 0;
    std::vector<DigestEntry> slos;  // in configuration order
};

// Terminal: one block per SLO (name, service, target, plain sentence, windows as a small table,
// suggestion with its numbers and rule, spenders, review due with owner), then a due-review list.
std::string render_digest_text(const Digest& digest, int width = 100);

// {scope, generated, generated_ms, slos [{name, service, endpoint, kind, target, latency_ms,
//  window_days, owner, review_every_days, last_reviewed, why, problem, history_note,
//  windows [{since, until, since_ms, until_ms, total, bad, attainment, budget_remaining, met}],
//  suggestion {kind, proposed_target, because, rule, windows_with_data, windows_met,
//  release_stops, best_attainment, worst_attainment}, summary, review_due, overdue_days,
//  spenders [{endpoint, bad, share}], last_decision {decision, user, at} | null}],
//  due [names]}. Dates ISO 8601 UTC; missing figures null.
std::string render_digest_json(const Digest& digest);

// Channel message {"text", "blocks"}: a header, one section per SLO (plain sentence, suggestion,
// spenders), and for each SLO whose review is due the owner's mention and the "Reviewed, keep" /
// "Propose change" buttons. Always within Slack's limits (50 blocks, 3,000-character sections):
// SLOs that do not fit are counted in a last context line.
BlockMessage render_digest_blocks(const Digest& digest);

// Thread note for a decision just recorded (mrkdwn): ":white_check_mark: <@U1> reviewed
// *checkout-availability* on 2026-11-23: keep 99.9 %. Next review due 2027-02-21." or, for
// "change", the proposal with the digest's suggestion when known (`advice` may be null).
std::string decision_note(
    const SloSpec& spec, const ReviewDecision& decision, const Advice* advice = nullptr
);
// Private answer when the digest already holds a decision for the SLO: who decided what, when.
std::string decision_already_text(const ReviewDecision& existing);

// "<@U…>" / "<!subteam^S…>" for a Slack id owner, the plain text otherwise, "nobody" when empty.
std::string owner_mention(const std::string& owner);

}  // namespace nra::slo
