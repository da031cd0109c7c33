// Private: how the comparison with a typical request and the changes around this one are worded,
// so the terminal, Block Kit and JSON say the same thing. Pure; every name and version came from
// outside and is cleaned, clipped and (mrkdwn) escaped here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "nra/analysis/summary.hpp"

namespace nra::render_detail {

// One change of a window (marked plain text): "`svc` deployed `2.8.0` at 10:36 UTC on
// 2026-11-20", or the version a failing trace ran against its typical request's.
std::string window_change_text(const TraceChange& change);
// "1a2b3c4d…": a trace id as a sentence names it (ids of 12 characters or fewer as they are).
std::string short_trace_id(const std::string& id);

// "Compared with a typical `POST /api/orders` (trace 1a2b3c4d…, 240 ms): +1.60 s in
// `search-service` `products select`; 39 more `order_items` calls; no `cache get`." or "".
std::string typical_lead(const Summary& summary, Markup markup);

// "Changed: `search-service` deployed `4.2.0` at 10:03 UTC, 4 min before this request; …" or "".
std::string changes_lead(const Summary& summary, Markup markup);

// The detail: the typical request (with a link made from `trace_link` when given), then one
// item per difference, then "the rest". Empty without a comparison.
std::vector<std::string> typical_items(
    const Summary& summary, Markup markup, std::string_view trace_link
);
// The detail: one item per change. Empty without changes.
std::vector<std::string> change_items(const Summary& summary, Markup markup);

// The Summary JSON's `typical` (null when none) and `changes`.
nlohmann::ordered_json typical_json(const Summary& summary);
nlohmann::ordered_json changes_json(const Summary& summary);
nlohmann::ordered_json changes_json(const std::vector<TraceChange>& changes);

}  // namespace nra::render_detail
