#include "state/state_file.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "log/log.hpp"

namespace nra {

nlohmann::json read_state_file(const std::string& path, const char* what) {
    std::ifstream in(path);
    if (!in) return nlohmann::json::object();  // first start
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (!json.is_object()) {
        log::warn("ignored an unreadable {} file {}", what, path);
        return nlohmann::json::object();
    }
    return json;
}

bool write_state_file(const std::string& path, const nlohmann::json& json, const char* what) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << json.dump(2) << '\n';
        if (!out) {
            log::warn("could not write the {} file {}", what, path);
            return false;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        log::warn("could not replace the {} file {}", what, path);
        return false;
    }
    return true;
}

}  // namespace nra
