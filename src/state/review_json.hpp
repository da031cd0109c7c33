// One SLO review decision as JSON, the same in the state file and in the shared store. Reading is
// lenient: a hand-edited or older entry with wrong types reads as empty fields, never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "nra/report/slo_digest.hpp"

namespace nra {

nlohmann::json review_decision_json(const slo::ReviewDecision& decision);
// nullopt when the entry names no SLO or no decision.
std::optional<slo::ReviewDecision> review_decision_from(const nlohmann::json& item);
// A field of a JSON object as text ("" when missing or not a string).
std::string json_text(const nlohmann::json& item, const char* key);

}  // namespace nra
