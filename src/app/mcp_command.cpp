#include "app/mcp_command.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "app/improve_setup.hpp"
#include "app/live_sources.hpp"
#include "app/scheduler.hpp"
#include "log/log.hpp"
#include "mcp_session.hpp"
#include "state/file_review_store.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

// Lines in flight and whether stdin has closed: the process ends when both say so.
struct Pump {
    asio::io_context& ioc;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
    std::size_t active = 0;
    bool closed = false;

    void maybe_end() {
        if (closed && active == 0) guard.reset();
    }
};

void write_line(const nlohmann::json& message) {
    const auto text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void handle_line(Pump& pump, mcp::Session& session, std::string line) {
    if (line.empty() || line == "\r") return;
    if (line.back() == '\r') line.pop_back();
    ++pump.active;
    asio::co_spawn(pump.ioc, session.handle(std::move(line)), [&pump](const std::exception_ptr& e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                log::error("mcp: a message failed: {}", ex.what());
            }
        }
        --pump.active;
        pump.maybe_end();
    });
}

// Reads stdin on its own thread (pipes, files and terminals alike) and hands each line to the
// I/O thread; lines longer than the session accepts are cut and refused there.
void read_stdin(Pump& pump, mcp::Session& session) {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.size() > mcp::kMaxMessageBytes) line.resize(mcp::kMaxMessageBytes + 1);
        asio::post(pump.ioc, [&pump, &session, l = std::move(line)]() mutable {
            handle_line(pump, session, std::move(l));
        });
        line.clear();
    }
    asio::post(pump.ioc, [&pump] {
        pump.closed = true;
        pump.maybe_end();
    });
}

}  // namespace

int run_mcp_command(const std::vector<std::string>& args) {
    std::optional<std::string> config_path;
    if (args.size() == 2 && args[0] == "--config") {
        config_path = args[1];
    } else if (!args.empty()) {
        fmt::print(stderr, "error: mcp takes only --config FILE\n");
        return 2;
    }
    auto loaded = load_config(config_path);
    if (!loaded) {
        fmt::print(stderr, "error: {}\n", loaded.error());
        return 1;
    }
    for (const auto& warning : loaded->warnings) fmt::print(stderr, "warning: {}\n", warning);
    asio::io_context ioc;
    auto sources = make_live_sources(ioc, config_path, loaded->config, nullptr);
    if (!sources) {
        fmt::print(stderr, "error: {}\n", sources.error());
        return 1;
    }
    FileReviewStore reviews(review_store_path());
    Ports ports = (*sources)->ports(loaded->config.baselines);
    ports.reviews = &reviews;
    mcp::Session session(ports, &write_line, "0.1.0");
    Pump pump{ioc, asio::make_work_guard(ioc)};
    std::thread reader([&pump, &session] { read_stdin(pump, session); });
    ioc.run();
    reader.join();
    return 0;
}

}  // namespace nra
