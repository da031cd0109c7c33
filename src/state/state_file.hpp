// Small JSON state files (the scheduler's last runs, SLO review decisions): read whole, written
// atomically (a temporary file renamed over the old one), so a crash never leaves half a file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace nra {

// The file's JSON object; an empty object when the file is missing, and (with a warning naming
// `what`) when it is not a JSON object.
nlohmann::json read_state_file(const std::string& path, const char* what);

// false (with a warning naming `what`) when the file could not be written.
bool write_state_file(const std::string& path, const nlohmann::json& json, const char* what);

}  // namespace nra
