#include "app/live_sources.hpp"

#include <chrono>

#include "app/asio_background.hpp"

namespace nra {

Ports LiveSources::ports(const BaselineOptions& options) const {
    Ports ports{*traces.source};
    ports.baselines = baselines.get();
    ports.baseline_options = options;
    ports.context = context.get();
    ports.background = start_in_background;
    if (improve) {
        ports.metrics = improve->metrics.get();
        ports.improve = &improve->config;
    }
    ports.epoch_seconds = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch()
        )
            .count();
    };
    return ports;
}

Result<std::unique_ptr<LiveSources>> make_live_sources(
    boost::asio::io_context& ioc,
    const std::optional<std::string>& config_path,
    const ImproveConfig& config,
    std::unique_ptr<BaselineSource> recorded
) {
    auto out = std::make_unique<LiveSources>();
    auto client = make_http_client(ioc.get_executor());
    if (!client) return make_error(client.error());
    out->client = std::move(client).value();
    auto traces = make_trace_source(*out->client);
    if (!traces) return make_error(traces.error());
    out->traces = std::move(traces).value();
    if (recorded) {
        out->baselines = std::move(recorded);
    } else if (config.baselines_enabled) {
        auto baselines = make_baseline_source(*out->client, config.baselines);
        if (!baselines) return make_error(baselines.error());
        out->baselines = std::move(baselines).value();
    }
    auto context = make_context_source(*out->client);
    if (!context) return make_error(context.error());
    out->context = std::move(context).value();
    auto improve = make_improve_setup(*out->client, config_path);
    if (improve) out->improve = std::move(improve).value();
    return out;
}

}  // namespace nra
