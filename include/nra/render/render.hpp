// Renderers: Summary → terminal text, Summary JSON (PRODUCT.md contract), Slack Block Kit.
// Pure; Block Kit output always stays inside Slack's limits (see render_blocks.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nra/analysis/summary.hpp"
#include "nra/render/block_message.hpp"

namespace nra {

struct RenderOptions {
    int width = 100;         // terminal columns
    std::string trace_link;  // link back to New Relic (empty: none)
    std::size_t max_path_rows = 25;
};

// Buttons under the channel summary (value: the bare trace id). "Re-analyze" only appears while
// the trace is incomplete; neither appears when the summary's id is not a plain hex trace id.
inline constexpr const char* kTraceWaterfallAction = "trace_waterfall";
inline constexpr const char* kTraceReanalyzeAction = "trace_reanalyze";

std::string render_text(const Summary& summary, const RenderOptions& options = {});
std::string render_json(const Summary& summary, const RenderOptions& options = {});

// Block Kit: the channel summary message and the thread detail, each a fallback text and blocks
// ready for chat.postMessage.
BlockMessage render_blocks_summary(const Summary& summary, const RenderOptions& options = {});
BlockMessage render_blocks_detail(const Summary& summary, const RenderOptions& options = {});

// A link unfurl (at most 5 blocks): request, duration, spans, services, errors, top finding and
// an "nr-analyzer" context line.
BlockMessage render_blocks_unfurl(const Summary& summary);

// The "Full waterfall" answer: every critical-path row and every finding, as Block Kit messages.
// `complete` is false when they need more than `max_messages`; the messages then hold the first
// part only.
struct FullRender {
    std::vector<BlockMessage> messages;
    bool complete = true;
};
FullRender render_blocks_full(
    const Summary& summary, const RenderOptions& options = {}, std::size_t max_messages = 3
);
// The same as terminal text for a file: render_text with every critical-path row, followed by the
// findings render_text leaves out.
std::string render_text_full(const Summary& summary, const RenderOptions& options = {});

// Plain one-line facts about a trace for listings and titles (App Home, uploads): cleaned of
// control characters, not escaped.
struct TraceHeadline {
    std::string request;        // request label (≤ 200 code points)
    std::string duration;       // "1.45 s"
    long long error_spans = 0;  // every error span, not only the listed ones
    std::string top_finding;    // "N+1 queries in order-service — saves ~410 ms", or empty
};
TraceHeadline trace_headline(const Summary& summary);

// Where a piece of untrusted text goes in a Slack mrkdwn message.
enum class SlackSpan {
    text,  // running text
    code,  // between our own backticks: `…`
};

// The one escaping of every piece of text that did not come from us (names from users and from
// New Relic, trace attributes, upstream error texts) before it goes into Slack mrkdwn:
// - control characters become spaces, ill-formed UTF-8 U+FFFD; zero-width and bidi controls
//   (U+200B, U+200E, U+200F, U+202A–U+202E, U+2060, U+2066–U+2069, U+061C, U+FEFF) are dropped;
// - & < > become &amp; &lt; &gt;, so no mention (<!here>, <@U…>), link or date can start;
// - a backtick becomes ˋ (U+02CB), so it can neither close our code span nor open one;
// - in running text, *, _ and ~ become the look-alikes ∗ (U+2217), ˍ (U+02CD) and ∼ (U+223C)
//   unless both neighbours are ASCII letters or digits (Slack formats only at word boundaries, so
//   snake_case stays as typed), and a leading > (a quote) becomes › (U+203A);
// - inside a code span nothing formats, so *, _ and ~ stay.
// Look-alikes rather than zero-width characters: what the reader copies has no hidden characters.
std::string slack_escape(std::string_view text, SlackSpan where = SlackSpan::text);

// Plain text of ours whose backtick pairs mark names or statements ("no data for `checkout`",
// finding summaries): each part through slack_escape in its span, our backticks kept; an
// unpaired backtick becomes ˋ. The producer replaces backticks inside the names it quotes.
std::string slack_escape_marked(std::string_view text);

// A Slack link <url|label> (`label` already mrkdwn, e.g. from slack_escape), or "" when the URL is
// empty or too long; what would end the link in the URL (| < > space) is percent-encoded.
std::string slack_link(std::string_view url, std::string_view label);

}  // namespace nra
