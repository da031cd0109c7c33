#include "app/report_cli.hpp"

#include <fmt/format.h>

#include "log/log.hpp"

namespace nra {

std::optional<ReportCli> make_report_cli(
    const boost::asio::any_io_executor& executor, const std::optional<std::string>& config
) {
    auto client = make_http_client(executor);
    if (!client) {
        fmt::print(stderr, "error: {}\n", client.error());
        return std::nullopt;
    }
    auto traces = make_trace_source(**client);
    auto improve = make_improve_setup(**client, config);
    if (!traces || !improve) {
        fmt::print(stderr, "error: {}\n", !traces ? traces.error() : improve.error());
        return std::nullopt;
    }
    for (const auto& warning : improve->warnings) fmt::print(stderr, "warning: {}\n", warning);
    return ReportCli{std::move(*client), std::move(*traces), std::move(*improve)};
}

void StoreExitCode::operator()(const std::exception_ptr& e, int value) const {
    if (e) {
        log::failure(what, e);
        *code = 1;
    } else {
        *code = value;
    }
}

}  // namespace nra
