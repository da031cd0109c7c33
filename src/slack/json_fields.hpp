// Reading fields of Slack's JSON (payloads, envelopes, API answers) without exceptions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nra::slack {

// A string member of a JSON object, or "" when absent, of another type, or not an object.
inline std::string string_at(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return (it != object.end() && it->is_string()) ? it->get<std::string>() : std::string{};
}

}  // namespace nra::slack
