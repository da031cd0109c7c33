// Private: how the incident context of a trace (its logs, its blast radius, the SLO's burn) is
// worded, so the terminal, Block Kit, the unfurl and JSON say the same thing. Pure; every piece of
// log text is cleaned and clipped here, and escaped for Slack when the markup is mrkdwn.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "nra/analysis/summary.hpp"

namespace nra::render_detail {

// Each empty when there is nothing to say (no context asked for, or nothing found).
struct ContextLead {
    std::string blast;      // "Not alone: 1,204 of 38,900 `POST /api/orders` requests …"
    std::string slo;        // "The `orders` budget is burning 14× — act now."
    std::string first_log;  // "Log of the failing span: ERROR 14:02:03 payment declined …"
    std::string typical;    // "Compared with a typical `POST /api/orders` (trace …, 240 ms): …"
    std::string changes;    // "Changed: `search-service` deployed `4.2.0` at 10:03 UTC, …"
    std::string missing;    // "Logs: New Relic did not answer in time. Blast radius: still coming."
};
ContextLead context_lead(const Summary& summary, Markup markup);

// The error and warning lines under their spans for the thread detail or the terminal: one item
// per span ("service · name" then up to `per_span` lines), at most `max_spans` items.
std::vector<std::string> log_items(
    const Summary& summary, Markup markup, std::size_t max_spans, std::size_t per_span
);

// The blast sentence of one radius, then its SLO's burn sentence when known; names escaped for
// the markup (the sentences hold no other outside text).
std::string blast_lead(const BlastRadius& radius, Markup markup);
// "The `orders` budget is burning 14× — act now." with the name escaped for the markup.
std::string burn_sentence(const SloBurn& burn, Markup markup);
nlohmann::ordered_json blast_radius_json(const BlastRadius& radius);

// The Summary JSON's `logs` and `blast_radius` (null when unknown) and `context` notes.
nlohmann::ordered_json logs_json(const Summary& summary);
nlohmann::ordered_json blast_radius_json(const Summary& summary);
nlohmann::ordered_json context_notes_json(const Summary& summary);

}  // namespace nra::render_detail
