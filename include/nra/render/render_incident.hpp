// The incident report (nra/analysis/incident.hpp) for the terminal and as the Incident JSON of
// ../shared/PRODUCT.md. Pure; every name and evidence text came from traces and is cleaned.
#pragma once

#include <string>

#include "nra/analysis/incident.hpp"
#include "nra/render/block_message.hpp"

namespace nra {

// Leads with the top suspect in one sentence, then the ranked suspects with their evidence
// (trace ids), the endpoints, the changes and the notes; lines wrapped at `width`.
std::string render_incident_text(const IncidentReport& report, int width = 100);

// {service, window {since_ms, until_ms}, traces_analysed, endpoints [...], suspects [{service,
// operation, kind, confidence, score, excess_ms, traces_with, evidence [{trace_id, span_ids,
// text}]}], changes [...], notes [...]}.
std::string render_incident_json(const IncidentReport& report);

// Block Kit: the channel summary (a header, the top suspect in one sentence, its blast radius
// and the SLO burn, the endpoints off their usual level, the changes) and the thread detail
// (every suspect with its evidence, every endpoint, the notes).
BlockMessage render_incident_blocks_summary(const IncidentReport& report);
BlockMessage render_incident_blocks_detail(const IncidentReport& report);

}  // namespace nra
