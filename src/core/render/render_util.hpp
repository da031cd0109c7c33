// Private helpers shared by the renderers: UTF-8-safe measuring, clipping and cleaning of
// trace-derived text, human durations, Slack escaping with length limits, and the critical-path
// waterfall rows used by both the terminal and the Slack detail. Pure; never throws on data.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nra/analysis/summary.hpp"

namespace nra::render_detail {

inline constexpr std::string_view kEllipsis = "…";

// --- text measuring and shaping (code points, not bytes) ---------------------------------------

// Valid UTF-8 with control characters (newlines, tabs, ESC, C1, U+2028/U+2029) turned into spaces,
// invalid bytes into U+FFFD and zero-width and bidi controls dropped, so trace text can never
// break a line layout, inject terminal escapes or reorder what the reader sees.
std::string clean(std::string_view text);
// clean(), stopping once `max_cp` code points are kept; `cut` says whether some were left.
std::string clean_prefix(std::string_view text, std::size_t max_cp, bool& cut);
// True when text has nothing visible (empty, or only spaces and control characters).
bool is_blank(std::string_view text);
// A service as listed: cleaned, "unknown" when the trace did not name one (as assembly names it).
std::string service_name(std::string_view service);
// Number of code points (invalid bytes count one each).
std::size_t width_of(std::string_view text);
// Number of UTF-16 code units: what Slack's character limits are checked against (conservative
// for astral characters).
std::size_t slack_length(std::string_view text);
// At most max_cp code points; clipped text ends with "…". Never splits a UTF-8 sequence.
std::string fit(std::string_view text, std::size_t max_cp);
// Like fit, but measured in UTF-16 code units (Slack limits).
std::string fit_units(std::string_view text, std::size_t max_units);
// Like fit, but cuts in the middle ("WebTransaction/Spr…/orders (GET)"): operation names carry
// their kind at the start and their specifics at the end.
std::string fit_middle(std::string_view text, std::size_t max_cp);
std::string pad_right(std::string_view text, std::size_t cp);
std::string pad_left(std::string_view text, std::size_t cp);
// Greedy word wrap into lines of at most width code points; at most max_lines lines, the last
// one ending with "…" when text was left over.
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t max_lines);

// --- Slack mrkdwn ------------------------------------------------------------------------------

// slack_escape (nra/render.hpp) clipped to at most max_units UTF-16 units (with "…") without ever
// cutting an escape sequence or a UTF-8 character: for untrusted text in running text.
std::string mrkdwn(std::string_view raw, std::size_t max_units);
// The same for untrusted text between our own backticks (`…`).
std::string mrkdwn_code(std::string_view raw, std::size_t max_units);
// slack_escape_marked, clipped the same way; a code span cut open is closed after the "…".
std::string mrkdwn_marked(std::string_view raw, std::size_t max_units);

// --- numbers -------------------------------------------------------------------------------------

// Milliseconds rounded to 3 decimals (µs precision); non-finite values become 0.
double round_ms(double ms);
// "850 µs", "12.4 ms", "1.45 s", "2 min 05 s".
std::string format_duration(double ms);
// The trace's duration (its extent, first start to last end) for headlines, with the root span's
// own beside it when the root covers much less: "649 ms (root span 26 µs)" for a short `poll`
// root whose consumers run on. Both figures agree on every other trace: just "649 ms".
std::string format_trace_duration(const Summary& summary);
// "~410 ms" style saving, or "" when there is none.
std::string format_saving(double ms);
// "1 finding" / "3 findings" (regular plurals only).
std::string counted(std::size_t count, std::string_view noun);
// "… and 3 more findings" / "… and 1 more finding" (regular plurals only).
std::string and_more(std::size_t count, std::string_view noun);
// Human label of a finding kind ("N+1 queries"); unknown kinds are shown as they are.
std::string kind_label(std::string_view kind);
// A horizontal bar of width cells filled to fraction (0..1) with eighth-block precision.
std::string share_bar(double fraction, std::size_t width);

// --- critical path waterfall ---------------------------------------------------------------------

// Rows of the waterfall: the analysis' folded path rows when it made them (one per span, N+1
// loops folded), else one per critical-path segment.
std::size_t waterfall_size(const Summary& summary);
// What one waterfall row is called: "row" (folded path rows) or "segment".
std::string_view waterfall_noun(const Summary& summary);
// Width of the waterfall in Slack messages (summary and detail): a code block on a laptop screen.
inline constexpr std::size_t kSlackWaterfallWidth = 96;
// Plain lines (axis header first), each at most width code points; at most max_rows rows, then
// "… and N more rows". Empty when there is no critical path.
std::vector<std::string> waterfall_rows(
    const Summary& summary, std::size_t width, std::size_t max_rows
);

// Notes to show: an "incomplete" sentence first when the trace is incomplete, then the summary's
// and the assembly's notes without duplicates.
std::vector<std::string> display_notes(const Summary& summary);

}  // namespace nra::render_detail
