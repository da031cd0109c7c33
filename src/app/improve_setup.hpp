// Wiring for /improve, shared by `serve` and `nr-analyzer improve`: the configuration (YAML via
// --config / NR_ANALYZER_CONFIG / ./nr-analyzer.yaml, or the demo SLOs), the metrics source (New
// Relic or the demo dataset) and the Jira tracker when JIRA_URL is set.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/improve_config_yaml.hpp"
#include "http/client.hpp"
#include "nra/ports/metrics_source.hpp"
#include "nra/ports/state_store.hpp"
#include "nra/ports/ticket_tracker.hpp"
#include "nra/report/improve_config.hpp"
#include "nra/result.hpp"

namespace nra {

struct ImproveSetup {
    ImproveConfig config;
    std::string config_source;          // the file read, or how the defaults were chosen
    std::vector<std::string> warnings;  // unknown keys etc., logged at startup
    std::unique_ptr<MetricsSource> metrics;
    std::unique_ptr<TicketTracker> tickets;  // null without JIRA_URL
    bool demo = true;
};

// `config_path`: --config when given (else NR_ANALYZER_CONFIG, else ./nr-analyzer.yaml if
// present). Errors name the file, line and field, or the variable at fault.
// The configuration alone: `config_path` (--config), else NR_ANALYZER_CONFIG, else
// ./nr-analyzer.yaml when present, else the built-in defaults.
Result<config::LoadedConfig> load_config(const std::optional<std::string>& config_path);

// `shared`: the replicas' StateStore (REDIS_URL), where Jira's fingerprint → ticket is kept too.
Result<ImproveSetup> make_improve_setup(
    http::Client& client,
    const std::optional<std::string>& config_path,
    StateStore* shared = nullptr
);

}  // namespace nra
