// Private: the SLO review digest's wording shared by its terminal, JSON and Slack renderings, so
// all three say the same thing. Plain text, not escaped and not cleaned: callers do that.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nra/report/slo_digest.hpp"

namespace nra::slo_parts {

// "availability" / "latency within 500 ms".
std::string kind_text(const SloSpec& spec);
// "availability · 99.9 % over 30 days".
std::string promise_text(const SloSpec& spec);
// "checkout · endpoints GET /cart* · availability · 99.9 % over 30 days".
std::string spec_line(const SloSpec& spec);
// Met when the window's budget was not overspent (the advice's rule); nullopt without data.
std::optional<bool> window_met(const SloSpec& spec, const slo::WindowCounts& window);
// "2026-10-24 → 2026-11-23".
std::string window_range(const slo::WindowCounts& window);
// "50.00 % of budget left" / "budget used up (130.00 % spent)"; "" without data or a valid
// target.
std::string budget_text(const SloSpec& spec, const slo::WindowCounts& window);
// "99.95 % (met, 50.00 % of budget left)", "99.87 % (missed, budget used up (130.00 % spent))",
// "no data".
std::string window_figures(const SloSpec& spec, const slo::WindowCounts& window);
// "Keep 99.9 %", "Tighten to 99.95 %", "Loosen to 99.8 %", "Not enough data".
std::string suggestion_label(const SloSpec& spec, const slo::Advice& advice);
// "The error budget policy would have stopped releases in 2 of 4 windows."; "" without data.
std::string stops_sentence(const slo::Advice& advice);
// "1,200 errors (60.00 %)" / "1,200 slow requests (60.00 %)".
std::string spender_figures(const SloSpec& spec, const slo::BudgetSpender& spender);
// "Review due today", "Review 12 days overdue", "Next review 2027-02-18", or "" when the SLO has
// no review rhythm.
std::string review_text(const slo::DigestEntry& entry);
// "Last review: keep, by <who> on 2026-11-20" (`who` already shaped for the medium; empty:
// no "by").
std::string decision_text(const slo::ReviewDecision& decision, const std::string& who);
// Names of the SLOs whose review is due, in digest order.
std::vector<std::string> due_names(const slo::Digest& digest);
// "3 SLOs, 1 review due" / "1 SLO, no review due".
std::string counts_text(const slo::Digest& digest);

}  // namespace nra::slo_parts
