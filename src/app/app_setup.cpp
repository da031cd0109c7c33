#include "app/app_setup.hpp"

#include <fmt/format.h>

#include "app/environment.hpp"
#include "demo/demo_baseline_source.hpp"
#include "demo/demo_context_source.hpp"
#include "demo/demo_trace_source.hpp"
#include "log/log.hpp"
#include "newrelic/nerdgraph_baseline_source.hpp"
#include "newrelic/nerdgraph_context_source.hpp"
#include "newrelic/nerdgraph_trace_source.hpp"

namespace nra {

Result<std::unique_ptr<http::Client>> make_http_client(boost::asio::any_io_executor executor) {
    http::ClientOptions options;
    options.ca_file = env_value("NR_ANALYZER_CA_FILE").value_or("");
    options.proxy = http::ProxyConfig::from_env();
    if (auto problem = options.proxy.problem(); !problem.empty()) return make_error(problem);
    try {
        return std::make_unique<http::Client>(std::move(executor), options);
    } catch (const std::exception& e) {
        log::info("HTTPS client set-up failed: {}", e.what());
        return make_error(fmt::format(
            "NR_ANALYZER_CA_FILE ({}) is not a readable PEM certificate", options.ca_file
        ));
    }
}

Result<TraceSourceChoice> make_trace_source(
    http::Client& client, Offload offload, newrelic::SpanBudget* budget
) {
    auto config = newrelic::config_from_env(env_value);
    if (!config) return make_error(config.error());
    TraceSourceChoice choice;
    if (!*config) {
        choice.source = std::make_unique<DemoTraceSource>();
        return choice;
    }
    choice.demo = false;
    choice.source = std::make_unique<newrelic::NerdGraphTraceSource>(
        client,
        std::move(**config),
        newrelic::NerdGraphTraceSource::WallClock{},
        std::move(offload),
        budget
    );
    return choice;
}

Result<std::unique_ptr<BaselineSource>> make_baseline_source(
    http::Client& client, const BaselineOptions& options
) {
    auto config = newrelic::config_from_env(env_value);
    if (!config) return make_error(config.error());
    if (!*config) return std::unique_ptr<BaselineSource>(std::make_unique<DemoBaselineSource>());
    newrelic::BaselineSourceOptions source;
    source.max_keys = options.max_keys;
    return std::unique_ptr<BaselineSource>(
        std::make_unique<newrelic::NerdGraphBaselineSource>(client, std::move(**config), source)
    );
}

Result<std::unique_ptr<ContextSource>> make_context_source(http::Client& client) {
    auto config = newrelic::config_from_env(env_value);
    if (!config) return make_error(config.error());
    if (!*config) return std::unique_ptr<ContextSource>(std::make_unique<DemoContextSource>());
    return std::unique_ptr<ContextSource>(
        std::make_unique<newrelic::NerdGraphContextSource>(client, std::move(**config))
    );
}

}  // namespace nra
