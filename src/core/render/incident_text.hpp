// Private: how an incident report is worded, so the terminal, Block Kit and JSON say the same
// thing. Texts are "marked" (names between backticks; worded() makes them plain or mrkdwn).
#pragma once

#include <string>
#include <vector>

#include "core/render/baseline_text.hpp"
#include "nra/analysis/incident.hpp"

namespace nra::render_detail {

// "`svc` · `op` (error, high confidence, in 3 of 4 traces, 1.2 s in all)"
std::string incident_heading(const IncidentSuspect& suspect, int traces);
// "Suspect: <heading>: <strongest evidence> (trace 1a2b3c4d…)", else the first note (e.g.
// "Inconclusive: …" or "Nothing stands out: …"), else "".
std::string incident_lead(const IncidentReport& report);
// "`POST /x` (`svc`): 11 of 18 requests failed (61 %, usually 0.2 %); p99 …; 3 traces analysed"
std::string endpoint_line(const IncidentEndpoint& endpoint);
// "last 30 min" for a live window, "12 min of traces" for files, "no window".
std::string incident_window_text(const IncidentReport& report);

// The service's SLO burns, less the one the top suspect's blast radius already says.
std::vector<SloBurn> other_burns(const IncidentReport& report);

}  // namespace nra::render_detail
