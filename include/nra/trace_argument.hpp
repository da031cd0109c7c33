// The argument of `/trace`, of a mention and of `nr-analyzer trace`: a trace id, a W3C
// traceparent, or a New Relic UI link that carries one. Pure; never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nra/result.hpp"

namespace nra {

struct TraceArgument {
    std::string trace_id;                 // lower-case hex, 16 or 32 chars
    std::vector<std::string> alternates;  // other ids to try (16-char suffix of a zero-padded id)
};

// Accepts `[0-9a-fA-F]{16}` or `{32}`, `00-<32 hex>-<16 hex>-<2 hex>`, or a URL/text holding
// either (base64 JSON in New Relic's `pane`/`launcher` parameters included).
Result<TraceArgument> parse_trace_argument(std::string_view text);

// Every distinct trace argument in free text (a Slack message): words are split on whitespace and
// on Slack's link markup (`<url|label>`), trailing punctuation is ignored, at most `max` results
// in order of appearance. Words that are not ids, traceparents or links are skipped.
std::vector<TraceArgument> find_trace_arguments(std::string_view text, std::size_t max = 3);

}  // namespace nra
