#include "app/fetch_trace.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>

#include "app/demo_trace_source.hpp"
#include "app/environment.hpp"
#include "http/client.hpp"
#include "log/log.hpp"
#include "newrelic/nerdgraph_trace_source.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

asio::awaitable<FetchResult> run_fetch(TraceSource* source, TraceQuery query, ProgressFn progress) {
    co_return co_await source->fetch(std::move(query), std::move(progress));
}

struct StoreResult {
    std::optional<FetchResult>* out;
    std::exception_ptr* error;
    void operator()(const std::exception_ptr& e, FetchResult r) const {
        if (e) {
            *error = e;
        } else {
            *out = std::move(r);
        }
    }
};

FetchResult failed(std::string message) {
    FetchResult r;
    r.status = FetchStatus::failed;
    r.message = std::move(message);
    return r;
}

FetchResult run(asio::io_context& ioc, TraceSource& source, TraceQuery query, ProgressFn progress) {
    std::optional<FetchResult> out;
    std::exception_ptr error;
    asio::co_spawn(
        ioc, run_fetch(&source, std::move(query), std::move(progress)), StoreResult{&out, &error}
    );
    ioc.run();
    if (error) std::rethrow_exception(error);
    if (!out) return failed("the fetch did not finish");
    return std::move(*out);
}

}  // namespace

FetchResult fetch_trace_blocking(TraceQuery query, ProgressFn progress) {
    try {
        auto config = newrelic::config_from_env(env_value);
        if (!config) return failed(config.error());
        asio::io_context ioc;
        if (!*config) {
            DemoTraceSource demo;
            return run(ioc, demo, std::move(query), std::move(progress));
        }
        http::ClientOptions options;
        options.ca_file = env_value("NR_ANALYZER_CA_FILE").value_or("");
        options.proxy = http::ProxyConfig::from_env();
        std::unique_ptr<http::Client> client;
        try {
            client = std::make_unique<http::Client>(ioc.get_executor(), options);
        } catch (const std::exception& e) {
            log::info("HTTPS client set-up failed: {}", e.what());
            return failed(fmt::format(
                "NR_ANALYZER_CA_FILE ({}) is not a readable PEM certificate", options.ca_file
            ));
        }
        newrelic::NerdGraphTraceSource source(*client, std::move(**config));
        return run(ioc, source, std::move(query), std::move(progress));
    } catch (const std::exception& e) {
        log::error("fetching the trace failed: {}", e.what());
        return failed(e.what());
    }
}

}  // namespace nra
