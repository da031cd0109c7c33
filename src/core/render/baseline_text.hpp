// Private: the phrases that say how this trace compares with the usual durations (baselines), so
// the terminal text, Block Kit, the unfurl, JSON and the picture all say the same thing. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nra/analysis/baseline.hpp"
#include "nra/analysis/summary.hpp"

namespace nra::render_detail {

// How phrases are written: plain terminal text, or Slack mrkdwn (bold, escaped code spans).
enum class Markup { plain, mrkdwn };

// The ratio to the usual duration as people say it: "26", "1.6", "2" ("" when not finite or ≤ 0).
std::string format_ratio(double ratio);

// The compact "vs usual" note of one span or row: "×26 (usually 35 ms)", "fast (usually 35 ms)",
// "usual", or "" (no baseline).
std::string usual_note(const Baseline& baseline);
// Same, from an optional (absent: "").
std::string usual_note(const std::optional<Baseline>& baseline);
// The picture's tag: "×26" when slower than usual, else "".
std::string slower_tag(const Baseline& baseline);

// What the summary leads with. `sentence` is the judgement ("1.20 s of this 1.45 s request is
// unusual: …", "Nothing here is slower than usual …"), `note` a short context line ("No baseline:
// …", or the source's partial warning). Both empty when baselines were never asked for and
// nothing was said about it, so such summaries read as before.
struct BaselineLead {
    std::string sentence;
    std::string note;
};
BaselineLead baseline_lead(const Summary& summary, Markup markup);

// "standing issue, usual for this request", "unusual in this trace", or "" (unknown).
std::string_view context_label(FindingContext context);
// The terminal's short tag: "[standing]", "[unusual]", or "".
std::string_view context_tag(FindingContext context);

// The unfurl's fact: "1.20 s in `SELECT inventory`" (mrkdwn; "… and 2 more spans" when several),
// or "" unless baselines were applied and at least 1 ms is unusual.
std::string unusual_fact(const Summary& summary);
// "1.20 s unusual" for the picture's subtitle; "" unless applied with at least 1 ms unusual.
std::string unusual_amount(const BaselineOverview& overview);

// The state's JSON name: "not_asked", "unavailable", "applied" (verdicts and contexts have
// to_string in nra/baseline.hpp).
std::string_view state_name(BaselineOverview::State state);

}  // namespace nra::render_detail
