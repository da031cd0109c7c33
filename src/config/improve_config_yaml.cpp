#include "config/improve_config_yaml.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "config/config_sections.hpp"
#include "config/yaml_fields.hpp"

namespace nra::config {
namespace {

namespace fs = std::filesystem;

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

Result<std::string> read_config_file(const std::string& path) {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return make_error(fmt::format("{}: config file not found", path));
    if (fs::is_directory(status)) {
        return make_error(fmt::format("{}: is a directory, not a config file", path));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(fmt::format("{}: cannot be read (check its permissions)", path));
    // Read one byte past the limit rather than trusting the size: FIFOs and /dev files have none.
    std::string text(kMaxConfigBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return make_error(fmt::format("{}: cannot be read", path));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) {
        return make_error(fmt::format("{}: larger than 1 MiB; is this the right file?", path));
    }
    return text;
}

}  // namespace

Result<LoadedConfig> parse_improve_config(std::string_view yaml_text, const std::string& file) {
    detail::Source src{file, {}};
    LoadedConfig out;
    out.source = file;
    try {
        const auto root = detail::load_document(yaml_text, src);
        out.config = detail::read_improve_config(src, detail::Field{root, "", 1});
    } catch (const detail::ConfigError& e) {
        return make_error(e.message);
    } catch (const YAML::Exception& e) {  // a yaml-cpp surprise while reading nodes
        if (e.mark.is_null()) return make_error(fmt::format("{}: not valid YAML: {}", file, e.msg));
        return make_error(fmt::format("{}:{}: not valid YAML: {}", file, e.mark.line + 1, e.msg));
    }
    out.warnings = std::move(src.warnings);
    return out;
}

Result<LoadedConfig> load_improve_config(const std::string& path) {
    auto text = read_config_file(path);
    if (!text) return make_error(text.error());
    return parse_improve_config(*text, path);
}

Result<LoadedConfig> resolve_improve_config(const std::optional<std::string>& explicit_path) {
    if (explicit_path) {
        if (explicit_path->empty()) return make_error("--config needs a file name");
        return load_improve_config(*explicit_path);
    }
    // symlink_status: a dangling nr-analyzer.yaml link is an error, not "no file".
    std::error_code ec;
    if (fs::exists(fs::symlink_status(kDefaultConfigFile, ec))) {
        return load_improve_config(kDefaultConfigFile);
    }
    LoadedConfig defaults;
    defaults.source = kBuiltInDefaults;
    return defaults;
}

bool time_zone_exists(std::string_view name) {
    if (name.empty() || name.size() > 64 || name.front() == '/' ||
        name.find("..") != std::string_view::npos) {
        return false;
    }
    for (char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '/' || c == '_' || c == '-' || c == '+';
        if (!ok) return false;
    }
    std::error_code ec;
    return fs::is_regular_file(fs::path(kZoneInfoDir) / std::string(name), ec);
}

}  // namespace nra::config
