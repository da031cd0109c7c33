// Private: how the suspects of a trace are worded, so the terminal, Block Kit and JSON say the
// same thing. Pure; evidence texts mark names with backticks (slack_escape_marked for Slack).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "nra/analysis/summary.hpp"

namespace nra::render_detail {

// Our sentence with names in backticks, for the medium: plain text keeps the backticks (they
// read as quotes), Slack escapes every piece between them (slack_escape_marked). Clipped to max.
std::string worded(const std::string& text, Markup markup, std::size_t max);
// A name between backticks, its own backticks turned into quotes.
std::string marked(std::string_view text);

// The lead: "Suspect: `fraud-check` · `…/POST` (error, high confidence): the failure started
// in …" (the top suspect and its strongest evidence in one sentence), or the "Inconclusive: …"
// note; empty when the summary has neither.
std::string suspect_lead(const Summary& summary, Markup markup);

// One item per suspect for the detail: name, kind, confidence, the time it explains, evidence.
std::vector<std::string> suspect_items(const Summary& summary, Markup markup);

// The Summary JSON's `suspects`.
nlohmann::ordered_json suspects_json(const Summary& summary);

}  // namespace nra::render_detail
