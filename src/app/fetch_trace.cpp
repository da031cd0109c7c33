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
        asio::io_context ioc;
        auto client = make_http_client(ioc.get_executor());
        if (!client) return failed(client.error());
        auto choice = make_trace_source(**client);
        if (!choice) return failed(choice.error());
        return run(ioc, *choice->source, std::move(query), std::move(progress));
    } catch (const std::exception& e) {
        log::error("fetching the trace failed: {}", e.what());
        return failed(e.what());
    }
}

}  // namespace nra
