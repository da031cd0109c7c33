#include "app/environment.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
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
    constexpr std::size_t kMaxSecretBytes = 64 * 1024;  // a secret, not a disk image
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("cannot read the file named by {}", file_key));
    std::string text(kMaxSecretBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        throw std::runtime_error(fmt::format("cannot read the file named by {}", file_key));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSecretBytes) {
        throw std::runtime_error(fmt::format("the file named by {} is larger than 64 KiB", file_key)
        );
    }
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return std::nullopt;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    return text;
}

}  // namespace nra
