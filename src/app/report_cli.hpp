// What the report commands (`improve`, `slo review`) share: an HTTPS client, the trace source
// and the /improve wiring, with each set-up error printed as one line; and the co_spawn
// completion that turns a command coroutine into an exit code.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "app/app_setup.hpp"
#include "app/improve_setup.hpp"

namespace nra {

struct ReportCli {
    std::unique_ptr<http::Client> client;  // the sources below hold references to it
    TraceSourceChoice traces;
    ImproveSetup improve;
};

// Nullopt after printing "error: …" to stderr; configuration warnings go to stderr too.
std::optional<ReportCli> make_report_cli(
    const boost::asio::any_io_executor& executor, const std::optional<std::string>& config
);

// Stores the coroutine's exit code; 1 (logged under `what`) when it threw.
struct StoreExitCode {
    int* code;
    const char* what;
    void operator()(const std::exception_ptr& e, int value) const;
};

}  // namespace nra
