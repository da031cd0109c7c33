#include "app/environment.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nra {

std::optional<std::string> env_value(std::string_view name) {
    const std::string key(name);
    if (const char* value = std::getenv(key.c_str()); value != nullptr && *value != '\0') {
        return std::string(value);
    }
    const std::string file_key = key + "_FILE";
    const char* path = std::getenv(file_key.c_str());
    if (path == nullptr || *path == '\0') return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    if (!in || !(content << in.rdbuf())) {
        throw std::runtime_error(fmt::format("cannot read the file named by {}", file_key));
    }
    std::string text = content.str();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::nullopt;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    return text;
}

}  // namespace nra
