// The sources a terminal command analyses live traces with (`trace <id>`, `incident <service>`):
// New Relic when NEW_RELIC_API_KEY is set, else the demo dataset; with baselines (unless the
// configuration turns them off or a recorded file replaces them), logs and blast radius, and
// /improve's metrics and SLOs when they can be set up (else the rest still works).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>

#include "app/app_setup.hpp"
#include "app/improve_setup.hpp"
#include "ports.hpp"

namespace nra {

struct LiveSources {
    std::unique_ptr<http::Client> client;  // the sources below hold references to it
    TraceSourceChoice traces;
    std::unique_ptr<BaselineSource> baselines;
    std::unique_ptr<ContextSource> context;
    std::optional<ImproveSetup> improve;

    // Ports over these sources with background extras and the wall clock.
    Ports ports(const BaselineOptions& options) const;
};

// `recorded`: baselines from a file instead of the source's (null: the source's, unless
// `config.baselines_enabled` is off). The error is the first set-up problem.
Result<std::unique_ptr<LiveSources>> make_live_sources(
    boost::asio::io_context& ioc,
    const std::optional<std::string>& config_path,
    const ImproveConfig& config,
    std::unique_ptr<BaselineSource> recorded
);

}  // namespace nra
