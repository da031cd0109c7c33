#include "app/fetch_trace.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>

#include "app/app_setup.hpp"
#include "log/log.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

asio::awaitable<FetchResult> run_fetch(TraceSource* source, TraceQuery query, ProgressFn progress) {
    co_return co_await source->fetch(std::move(query), std::move(progress));
}

asio::awaitable<BaselineResult> run_baselines(BaselineSource* source, BaselineQuery query) {
    co_return co_await source->baselines(std::move(query));
}

template <class R>
struct StoreResult {
    std::optional<R>* out;
    std::exception_ptr* error;
    void operator()(const std::exception_ptr& e, R r) const {
        if (e) {
            *error = e;
        } else {
            *out = std::move(r);
        }
    }
};

// `message` is moved; clang-tidy misreads the template.
template <class R>
// NOLINTNEXTLINE(performance-unnecessary-value-param)
R failed(std::string message) {
    R r;
    r.status = FetchStatus::failed;
    r.message = std::move(message);
    return r;
}

// Runs one coroutine on `ioc` until it is done.
template <class R>
R run(asio::io_context& ioc, asio::awaitable<R> work) {
    std::optional<R> out;
    std::exception_ptr error;
    asio::co_spawn(ioc, std::move(work), StoreResult<R>{&out, &error});
    ioc.run();
    if (error) std::rethrow_exception(error);
    if (!out) return failed<R>("the request did not finish");
    return std::move(*out);
}

}  // namespace

FetchResult fetch_trace_blocking(TraceQuery query, ProgressFn progress) {
    try {
        asio::io_context ioc;
        auto client = make_http_client(ioc.get_executor());
        if (!client) return failed<FetchResult>(client.error());
        auto choice = make_trace_source(**client);
        if (!choice) return failed<FetchResult>(choice.error());
        return run(ioc, run_fetch(choice->source.get(), std::move(query), std::move(progress)));
    } catch (const std::exception& e) {
        log::error("fetching the trace failed: {}", e.what());
        return failed<FetchResult>(e.what());
    }
}

BaselineResult fetch_baselines_blocking(BaselineQuery query, const BaselineOptions& options) {
    try {
        asio::io_context ioc;
        auto client = make_http_client(ioc.get_executor());
        if (!client) return failed<BaselineResult>(client.error());
        auto source = make_baseline_source(**client, options);
        if (!source) return failed<BaselineResult>(source.error());
        return run(ioc, run_baselines(source->get(), std::move(query)));
    } catch (const std::exception& e) {
        log::error("fetching baselines failed: {}", e.what());
        return failed<BaselineResult>(e.what());
    }
}

}  // namespace nra
