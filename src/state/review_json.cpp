#include "state/review_json.hpp"

namespace nra {

std::string json_text(const nlohmann::json& item, const char* key) {
    if (!item.is_object()) return {};
    const auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json review_decision_json(const slo::ReviewDecision& decision) {
    return {
        {"slo", decision.slo},
        {"decision", decision.decision},
        {"user", decision.user},
        {"at", decision.at_s}};
}

std::optional<slo::ReviewDecision> review_decision_from(const nlohmann::json& item) {
    if (!item.is_object()) return std::nullopt;
    slo::ReviewDecision decision;
    decision.slo = json_text(item, "slo");
    decision.decision = json_text(item, "decision");
    decision.user = json_text(item, "user");
    const auto at = item.find("at");
    decision.at_s = at != item.end() && at->is_number_integer() ? at->get<std::int64_t>() : 0;
    if (decision.slo.empty() || decision.decision.empty()) return std::nullopt;
    return decision;
}

}  // namespace nra
