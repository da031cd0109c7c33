// nr-analyzer.yaml → ImproveConfig: validated, with file:line:field in every error and warning.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nra/report/improve_config.hpp"
#include "nra/result.hpp"

namespace nra::config {

inline constexpr std::size_t kMaxConfigBytes =
    std::size_t{1024} * 1024;  // a config, not a data file
inline constexpr const char* kDefaultConfigFile = "nr-analyzer.yaml";
inline constexpr const char* kBuiltInDefaults = "(built-in defaults)";

struct LoadedConfig {
    ImproveConfig config;
    // Unknown keys and ignored settings, each "file:line: …"; the caller logs them at startup.
    std::vector<std::string> warnings;
    std::string source;  // the file read, or kBuiltInDefaults
};

// Parses YAML text; `file` names it in messages. An empty document gives the defaults. The first
// problem is the error, e.g.
// "nr-analyzer.yaml:12: slos[0].target: must be between 0 and 100 % (exclusive), got 100".
Result<LoadedConfig> parse_improve_config(std::string_view yaml_text, const std::string& file);

// Reads the file (at most kMaxConfigBytes) and parses it. Errors name the file.
Result<LoadedConfig> load_improve_config(const std::string& path);

// `--config` given → that file, which must exist. Otherwise nr-analyzer.yaml in the working
// directory when present (a present but broken file is an error, never skipped), else the
// built-in defaults.
Result<LoadedConfig> resolve_improve_config(const std::optional<std::string>& explicit_path);

// True when `name` is an IANA zone installed in /usr/share/zoneinfo ("Europe/Berlin", "UTC").
// Names with "..", a leading "/" or unusual characters are refused before touching the disk.
bool time_zone_exists(std::string_view name);

}  // namespace nra::config
