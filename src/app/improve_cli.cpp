#include "app/improve_cli.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/app_setup.hpp"
#include "app/cli.hpp"
#include "app/environment.hpp"
#include "app/improve_setup.hpp"
#include "app/report_cli.hpp"
#include "app/scheduler.hpp"
#include "improve_report.hpp"
#include "log/log.hpp"
#include "nra/report/render_report.hpp"
#include "post_analysis.hpp"
#include "post_report.hpp"
#include "slack/web_client.hpp"
#include "state/file_review_store.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

struct ImproveCli {
    std::string service;
    int window_days = 0;
    std::string format = "text";
    bool all = false;
    bool post = false;
    std::string channel;  // --post CHANNEL
    std::optional<std::string> config;
};

std::string parse(const std::vector<std::string>& args, ImproveCli& cli) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool has_value = i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0;
        if (a == "--all") {
            cli.all = true;
        } else if (a == "--post") {
            cli.post = true;
            if (has_value) cli.channel = args[++i];
        } else if (a == "--format" || a == "--window" || a == "--config") {
            if (!has_value) return fmt::format("{} needs a value", a);
            const auto& v = args[++i];
            if (a == "--format") cli.format = v;
            if (a == "--config") cli.config = v;
            if (a == "--window" && (cli.window_days = parse_window_days(v)) == 0) {
                return "--window must be 1–30 days, e.g. 7d";
            }
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
    if (cli.all == !cli.service.empty()) return "give a service name or --all";
    if (!cli.service.empty()) {
        if (auto problem = check_service_name(cli.service); !problem.empty()) return problem;
    }
    if (cli.post && cli.channel.empty() && !cli.all)
        return "--post needs a CHANNEL for one service";
    return {};
}

std::string render(const Report& report, const std::string& format) {
    if (format == "json") return render_report_json(report);
    if (format == "text") return render_report_text(report);
    Blocks doc{{"summary", render_report_blocks_summary(report).document()}};
    doc["thread"] = Blocks::array();
    for (const auto& d : render_report_blocks_details(report))
        doc["thread"].push_back(d.document());
    return doc.dump(2, ' ', false, Blocks::error_handler_t::replace);
}

asio::awaitable<int> print_one(const Ports& ports, ImproveCli cli) {
    ReportRequest request;
    request.service = cli.service;
    request.window_days = cli.window_days;
    auto report = co_await produce_report(ports, std::move(request));
    if (!report) {
        fmt::print(stderr, "error: {}\n", report.error());
        co_return 1;
    }
    if (!cli.post) {
        fmt::print("{}\n", render(*report, cli.format));
        co_return 0;
    }
    const std::string no_response_url;
    auto posted = co_await post_report(ports, cli.channel, no_response_url, *report);
    if (!posted) fmt::print(stderr, "error: {}\n", posted.error());
    co_return posted ? 0 : 1;
}

asio::awaitable<int> print_all(const Ports& ports, ImproveCli cli) {
    auto overview = co_await produce_overview(ports, 50);
    if (!overview) {
        fmt::print(stderr, "error: {}\n", overview.error());
        co_return 1;
    }
    if (cli.format == "json" || cli.format == "blocks") {  // one JSON document: an array
        auto all = nlohmann::json::array();
        for (const auto& r : *overview) {
            all.push_back(nlohmann::json::parse(render(r, cli.format), nullptr, false));
        }
        fmt::print("{}\n", all.dump(2));
    } else {
        for (const auto& r : *overview) fmt::print("{}\n", render(r, cli.format));
    }
    co_return 0;
}

// --all --post: every configured schedule now, or the overview into one channel.
asio::awaitable<int> post_all(const Ports& ports, ImproveCli cli, asio::any_io_executor executor) {
    if (!cli.channel.empty()) {
        auto overview = co_await produce_overview(ports, 50);
        if (!overview) {
            fmt::print(stderr, "error: {}\n", overview.error());
            co_return 1;
        }
        OutgoingMessage message = to_message(render_services_overview(*overview));
        message.channel = cli.channel;
        auto posted = co_await ports.chat->post_message(message);
        co_return posted.ok() ? 0 : 1;
    }
    if (ports.improve->schedules.empty()) {
        fmt::print(stderr, "error: no schedules in the configuration; give --post CHANNEL\n");
        co_return 1;
    }
    FileReviewStore reviews(review_store_path());
    Ports with_reviews = ports;
    with_reviews.reviews = &reviews;
    Scheduler scheduler(executor, with_reviews, scheduler_state_path());
    const auto ran = co_await scheduler.run_all_now();
    fmt::print("posted {} scheduled report(s)\n", ran);
    co_return 0;
}

}  // namespace

int run_improve_cli(const std::vector<std::string>& args) {
    ImproveCli cli;
    if (auto problem = parse(args, cli); !problem.empty()) return usage_error(problem);
    asio::io_context ioc;
    auto world = make_report_cli(ioc.get_executor(), cli.config);
    if (!world) return 1;
    std::optional<slack::WebClient> chat;
    if (cli.post) {
        slack::WebClientOptions options;
        auto token = env_value("SLACK_BOT_TOKEN");
        if (!token) {
            fmt::print(stderr, "error: SLACK_BOT_TOKEN is required with --post\n");
            return 1;
        }
        options.bot_token = *token;
        options.api_url = env_value("SLACK_API_URL").value_or(options.api_url);
        chat.emplace(*world->client, options);
    }
    Ports ports{*world->traces.source};
    ports.chat = chat ? &*chat : nullptr;
    ports.metrics = world->improve.metrics.get();
    ports.improve = &world->improve.config;
    ports.tickets = world->improve.tickets.get();
    int code = 1;
    if (!cli.all) {
        asio::co_spawn(ioc, print_one(ports, cli), StoreExitCode{&code, "improve"});
    } else if (!cli.post) {
        asio::co_spawn(ioc, print_all(ports, cli), StoreExitCode{&code, "improve"});
    } else {
        asio::co_spawn(
            ioc, post_all(ports, cli, ioc.get_executor()), StoreExitCode{&code, "improve"}
        );
    }
    ioc.run();
    return code;
}

}  // namespace nra
