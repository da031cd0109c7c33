#include "app/improve_setup.hpp"

#include "app/environment.hpp"
#include "config/improve_config_yaml.hpp"
#include "demo/demo_metrics_source.hpp"
#include "jira/jira_config.hpp"
#include "jira/jira_tracker.hpp"
#include "newrelic/nerdgraph_metrics_source.hpp"
#include "newrelic/newrelic_config.hpp"

namespace nra {

Result<config::LoadedConfig> load_config(const std::optional<std::string>& config_path) {
    auto path = config_path;
    if (!path) {
        if (auto from_env = env_value("NR_ANALYZER_CONFIG"); from_env && !from_env->empty()) {
            path = from_env;
        }
    }
    return config::resolve_improve_config(path);
}

Result<ImproveSetup> make_improve_setup(
    http::Client& client, const std::optional<std::string>& config_path, StateStore* shared
) {
    ImproveSetup setup;
    auto loaded = load_config(config_path);
    if (!loaded) return make_error(loaded.error());
    setup.config = std::move(loaded->config);
    setup.config_source = loaded->source;
    setup.warnings = std::move(loaded->warnings);

    auto newrelic = newrelic::config_from_env(env_value);
    if (!newrelic) return make_error(newrelic.error());
    if (*newrelic) {
        setup.demo = false;
        setup.metrics =
            std::make_unique<newrelic::NerdGraphMetricsSource>(client, std::move(**newrelic));
    } else {
        setup.metrics = std::make_unique<DemoMetricsSource>();
        if (setup.config_source == config::kBuiltInDefaults) {
            setup.config = demo_improve_config();
            setup.config_source = "the demo SLOs (no configuration file)";
        }
    }
    auto jira = jira::config_from_env(env_value);
    if (!jira) return make_error(jira.error());
    if (*jira) {
        if (!setup.config.jira.project.empty()) (*jira)->project = setup.config.jira.project;
        setup.tickets = std::make_unique<jira::JiraTracker>(client, std::move(**jira), shared);
    }
    return setup;
}

}  // namespace nra
