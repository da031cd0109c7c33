// Reading settings from the process environment. Secrets may come from NAME_FILE (a mounted
// secret); the file's content is trimmed of surrounding whitespace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nra {

// NAME, else the content of the file named by NAME_FILE, else nullopt. Throws
// std::runtime_error naming NAME_FILE (never its content) when that file cannot be read.
std::optional<std::string> env_value(std::string_view name);

}  // namespace nra
