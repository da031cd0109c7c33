#include "app/slo_review_cli.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>

#include "app/cli.hpp"
#include "app/report_cli.hpp"
#include "app/scheduler.hpp"
#include "slo_review_digest.hpp"
#include "state/file_review_store.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

struct SloCli {
    std::string service;  // empty: every SLO
    std::string format = "text";
    std::optional<std::string> config;
};

std::string parse(const std::vector<std::string>& args, SloCli& cli) {
    if (args.empty() || args[0] != "review") return "the only slo command is `slo review`";
    for (std::size_t i = 1; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--format" || a == "--config") {
            if (i + 1 >= args.size()) return fmt::format("{} needs a value", a);
            (a == "--format" ? cli.format : cli.config.emplace()) = args[++i];
        } else if (a.rfind("--", 0) == 0) {
            return fmt::format("unknown option {}", a);
        } else if (cli.service.empty()) {
            cli.service = a;
        } else {
            return "too many arguments (quote a service name with spaces)";
        }
    }
    if (cli.format != "text" && cli.format != "json" && cli.format != "blocks") {
        return "--format must be text, json or blocks";
    }
    if (!cli.service.empty() && cli.service != "all") return check_service_name(cli.service);
    return {};
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch()
    )
        .count();
}

asio::awaitable<int> review(const Ports& ports, SloCli cli) {
    DigestRequest request{cli.service, now_ms()};
    auto outcome = co_await produce_slo_digest(ports, std::move(request));
    if (!outcome) {
        fmt::print(stderr, "error: {}\n", outcome.error());
        co_return 1;
    }
    const auto& digest = *outcome;
    if (cli.format == "json") {
        fmt::print("{}\n", slo::render_digest_json(digest));
    } else if (cli.format == "blocks") {
        fmt::print("{}\n", slo::render_digest_blocks(digest).dump());
    } else {
        fmt::print("{}", slo::render_digest_text(digest));
    }
    for (const auto& entry : digest.slos) {
        if (!entry.problem.empty()) co_return 1;
    }
    co_return 0;
}

}  // namespace

int run_slo_cli(const std::vector<std::string>& args) {
    SloCli cli;
    if (auto problem = parse(args, cli); !problem.empty()) return usage_error(problem);
    asio::io_context ioc;
    auto world = make_report_cli(ioc.get_executor(), cli.config);
    if (!world) return 1;
    FileReviewStore reviews(review_store_path());
    Ports ports{*world->traces.source};
    ports.metrics = world->improve.metrics.get();
    ports.improve = &world->improve.config;
    ports.reviews = &reviews;
    int code = 1;
    asio::co_spawn(ioc, review(ports, std::move(cli)), StoreExitCode{&code, "slo review"});
    ioc.run();
    return code;
}

}  // namespace nra
