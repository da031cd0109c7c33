#include "app/serve_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "app/app_setup.hpp"
#include "app/asio_background.hpp"
#include "app/cpu_pool.hpp"
#include "app/environment.hpp"
#include "app/improve_setup.hpp"
#include "app/mcp_http.hpp"
#include "app/scheduler.hpp"
#include "app/serve_routes.hpp"
#include "app/slack_dispatcher.hpp"
#include "app/state_setup.hpp"
#include "app/url_settings.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "newrelic/span_budget.hpp"
#include "obs/counting_trace_source.hpp"
#include "obs/metrics.hpp"
#include "picture/cairo_painter.hpp"
#include "slack/events_endpoint.hpp"
#include "slack/patience_timer.hpp"
#include "slack/socket_mode.hpp"
#include "slack/web_client.hpp"
#include "state/file_review_store.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

// How long a trace waits for room in the span budget before "too busy" (a 300k-span trace takes
// about a minute to fetch and analyse).
constexpr std::chrono::minutes kSpanBudgetWait{3};

struct ServeConfig {
    http::ServerOptions server;
    slack::EndpointConfig endpoint;
    DispatchConfig dispatch;
    slack::WebClientOptions web;
    std::optional<slack::SocketModeOptions> socket;  // SLACK_APP_TOKEN set
    std::optional<unsigned short> metrics_port;      // NR_ANALYZER_METRICS_PORT set
    bool demo = false;
    std::size_t drain_seconds = 25;  // NR_ANALYZER_DRAIN_SECONDS: jobs' time to finish at SIGTERM
    std::size_t span_budget = 300'000;  // NR_ANALYZER_SPAN_BUDGET: spans held in memory at once
};

Result<unsigned short> port_number(std::string_view name, const std::string& text) {
    int p = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
    if (ec != std::errc{} || ptr != text.data() + text.size() || p < 0 || p > 65535) {
        return make_error(fmt::format("{} must be a number from 0 to 65535", name));
    }
    return static_cast<unsigned short>(p);
}

// SLACK_APP_TOKEN turns Socket Mode on; without a signing secret it is the only way in.
Result<std::optional<slack::SocketModeOptions>> socket_config(const std::string& api_url) {
    auto token = env_value("SLACK_APP_TOKEN");
    if (!token) return std::optional<slack::SocketModeOptions>{};
    if (token->rfind("xapp-", 0) != 0) {
        return make_error("SLACK_APP_TOKEN must be an app-level token (xapp-…)");
    }
    slack::SocketModeOptions options;
    options.app_token = *token;
    options.api_url = api_url;
    options.debug_reconnects = env_value("SLACK_SOCKET_DEBUG_RECONNECTS").value_or("") == "1";
    return std::optional{std::move(options)};
}

std::set<std::string> split_list(const std::string& list) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        auto item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.insert(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

Result<ServeConfig> serve_config() {
    ServeConfig c;
    const auto port = port_number("PORT", env_value("PORT").value_or("3000"));
    if (!port) return make_error(port.error());
    c.server.port = *port;
    if (auto metrics = env_value("NR_ANALYZER_METRICS_PORT")) {
        const auto metrics_port = port_number("NR_ANALYZER_METRICS_PORT", *metrics);
        if (!metrics_port) return make_error(metrics_port.error());
        c.metrics_port = *metrics_port;
    }
    c.server.tls_cert_file = env_value("TLS_CERT_FILE").value_or("");
    c.server.tls_key_file = env_value("TLS_KEY_FILE").value_or("");
    auto secret = env_value("SLACK_SIGNING_SECRET");
    const bool socket_mode = env_value("SLACK_APP_TOKEN").has_value();
    c.demo = !secret && !socket_mode;
    c.endpoint.signing_secret = secret.value_or(c.demo ? kDemoSigningSecret : "");
    c.endpoint.app_id = env_value("SLACK_APP_ID").value_or("");
    c.endpoint.team_ids = split_list(env_value("SLACK_TEAM_IDS").value_or(""));
    auto token = env_value("SLACK_BOT_TOKEN");
    if (!token && !c.demo) return make_error("SLACK_BOT_TOKEN is required to post to Slack");
    c.web.bot_token = token.value_or(kDemoBotToken);
    const auto default_api = c.demo ? fmt::format("http://127.0.0.1:{}/api", kDemoSlackPort)
                                    : std::string("https://slack.com/api");
    c.web.api_url = env_value("SLACK_API_URL").value_or(default_api);
    auto socket = socket_config(c.web.api_url);
    if (!socket) return make_error(socket.error());
    c.socket = std::move(*socket);
    std::size_t per_minute = static_cast<std::size_t>(c.dispatch.user_limit_per_minute);
    // Whole numbers from the environment (env_value), each within its range.
    for (auto [name, target, lo, hi] :
         {std::tuple{"NR_ANALYZER_JOBS", &c.dispatch.max_jobs_running, 1, 64},
          std::tuple{"NR_ANALYZER_QUEUE", &c.dispatch.max_jobs_queued, 1, 10'000},
          std::tuple{"NR_ANALYZER_USER_LIMIT", &per_minute, 0, 10'000},
          std::tuple{"NR_ANALYZER_DRAIN_SECONDS", &c.drain_seconds, 1, 3'600},
          std::tuple{"NR_ANALYZER_SPAN_BUDGET", &c.span_budget, 10'000, 2'000'000}}) {
        const auto value = env_value(name);
        if (!value) continue;
        int n = 0;
        const auto [end, err] = std::from_chars(value->data(), value->data() + value->size(), n);
        if (err != std::errc{} || end != value->data() + value->size() || n < lo || n > hi) {
            return make_error(fmt::format("{} must be a number from {} to {}", name, lo, hi));
        }
        *target = static_cast<std::size_t>(n);
    }
    c.dispatch.user_limit_per_minute = static_cast<int>(per_minute);
    for (const auto& id : split_list(env_value("NR_ANALYZER_ALERT_CHANNELS").value_or(""))) {
        if (!is_slack_channel_id(id) || id[0] == 'D') {
            return make_error(fmt::format(
                "NR_ANALYZER_ALERT_CHANNELS holds channel IDs like C0123456789, not \"{}\"", id
            ));
        }
        c.dispatch.alert_channels.insert(id);
    }
    if (c.demo) {
        c.server.address = "127.0.0.1";  // a known secret must never face a network
        c.dispatch.alert_channels.insert(kDemoAlertChannel);
    }
    return c;
}

// What a graceful stop stops (metrics and socket may be null).
struct Running {
    http::HttpServer* server;
    http::HttpServer* metrics;
    SlackDispatcher* dispatcher;
    Scheduler* scheduler;
    slack::SocketModeClient* socket;
    asio::io_context* ioc;
    std::chrono::seconds drain;  // NR_ANALYZER_DRAIN_SECONDS
};

asio::awaitable<void> shut_down(Running running) {
    log::warn("stopping: no new requests; finishing the work in flight");
    running.scheduler->stop();
    running.server->stop();
    if (running.metrics != nullptr) running.metrics->stop();
    if (running.socket != nullptr) co_await running.socket->stop();
    co_await running.server->stopped(std::chrono::seconds(5));
    co_await running.dispatcher->drain(running.drain);
    log::warn("stopped");
    running.ioc->stop();
}

// The job queue's state at scrape time (the queue lives as long as `serve`).
void register_job_gauges(const slack::JobQueue& jobs) {
    obs::registry().gauge("nra_jobs_queued", "Jobs waiting for a slot", [&jobs] {
        return static_cast<double>(jobs.queued());
    });
    obs::registry().gauge("nra_jobs_running", "Jobs running", [&jobs] {
        return static_cast<double>(jobs.running());
    });
}

struct LogFailure {
    const char* what;
    void operator()(const std::exception_ptr& e) const { log::failure(what, e); }
};

}  // namespace

int run_serve_command(const std::optional<std::string>& config_path) {
    // A server logs what it does (retries, refusals, duplicates) unless told otherwise.
    if (std::getenv("NR_ANALYZER_LOG_LEVEL") == nullptr) log::set_level(log::Level::info);
    if (const auto problem = url_settings_problem(env_value)) {
        fmt::print(stderr, "error: {}\n", *problem);
        return 1;
    }
    auto config = serve_config();
    if (!config) {
        fmt::print(stderr, "error: {}\n", config.error());
        return 1;
    }
    // Before the io_context: leases of unfinished jobs give their spans back when it is destroyed.
    newrelic::SpanBudget span_budget(config->span_budget, kSpanBudgetWait);
    obs::registry().gauge(
        "nra_spans_in_flight",
        "Spans of traces being fetched or analysed (at most NR_ANALYZER_SPAN_BUDGET)",
        [&span_budget] { return static_cast<double>(span_budget.in_flight()); }
    );
    asio::io_context ioc;
    auto client = make_http_client(ioc.get_executor());
    if (!client) {
        fmt::print(stderr, "error: {}\n", client.error());
        return 1;
    }
    CpuPool cpu(2);  // reading, analysis and rendering; the I/O thread only acks and talks
    auto traces = make_trace_source(**client, cpu.offload(), &span_budget);
    if (!traces) {
        fmt::print(stderr, "error: {}\n", traces.error());
        return 1;
    }
    auto state = make_state_store(ioc.get_executor());
    if (!state) {
        fmt::print(stderr, "error: {}\n", state.error());
        return 1;
    }
    StateStore* shared = state->shared ? state->store.get() : nullptr;
    auto improve = make_improve_setup(**client, config_path, shared);
    if (!improve) {
        fmt::print(stderr, "error: {}\n", improve.error());
        return 1;
    }
    for (const auto& warning : improve->warnings) log::warn("{}", warning);
    config->dispatch.alert_channels.insert(
        improve->config.alert_channels.begin(), improve->config.alert_channels.end()
    );
    if (!config->dispatch.alert_channels.empty()) {
        log::info("alert channels: {}", fmt::join(config->dispatch.alert_channels, ", "));
    }
    // Slack shows pictures scaled down in the thread: fewer, taller rows and larger text than the
    // terminal's --png, so names stay legible in the preview; the full list is in the text.
    PictureOptions slack_picture;
    slack_picture.width = 1200;
    slack_picture.max_rows = 40;
    slack_picture.row_height = 26;
    slack_picture.font_px = 16;
    picture::CairoPainter painter(slack_picture);
    auto baselines = make_baseline_source(**client, improve->config.baselines);
    if (!baselines) {
        fmt::print(stderr, "error: {}\n", baselines.error());
        return 1;
    }
    auto context = make_context_source(**client);
    if (!context) {
        fmt::print(stderr, "error: {}\n", context.error());
        return 1;
    }
    auto stores = make_replica_stores(*state);
    slack::WebClient chat(**client, config->web);
    obs::CountingTraceSource counted(*traces->source);  // nra_spans_analysed_total
    // The one bundle of ports every job, flow and scheduled run uses, for the whole process.
    Ports ports{counted};
    ports.chat = &chat;
    ports.offload = cpu.offload();
    ports.metrics = improve->metrics.get();
    ports.improve = &improve->config;
    ports.tickets = improve->tickets.get();
    ports.picture = &painter;
    ports.recent = stores.recent.get();
    if (improve->config.baselines_enabled) ports.baselines = baselines->get();
    ports.baseline_options = improve->config.baselines;
    ports.reviews = stores.reviews.get();
    ports.context = context->get();
    ports.store = state->store.get();
    ports.background = start_in_background;
    ports.state = shared;
    ports.log = [](std::string_view line) { log::warn("{}", line); };
    ports.epoch_seconds = [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch()
        )
            .count();
    };
    ports.patient = slack::run_patiently;
    SlackDispatcher dispatcher(ioc.get_executor(), config->dispatch, ports);
    slack::EventsEndpoint endpoint(config->endpoint, dispatcher);
    register_job_gauges(dispatcher.jobs());
    NotReady not_ready;  // set once Socket Mode is on
    auto routes = serve_route_table(
        [&endpoint](const http::ServerRequest& request) { return endpoint.handle(request); },
        &not_ready
    );
    // MCP over Streamable HTTP (app/mcp_http.hpp): only with a token to demand.
    const auto mcp_token = env_value("NR_ANALYZER_MCP_TOKEN").value_or("");
    if (!mcp_token.empty()) {
        routes.push_back({"/mcp", "mcp", false, [&ports, mcp_token](const http::ServerRequest& r) {
                              return mcp_http(ports, mcp_token, r);
                          }});
    }
    const auto paths = config->metrics_port ? ServedPaths::all_but_metrics : ServedPaths::all;
    http::HttpServer server(ioc.get_executor(), config->server, serve_routes(routes, paths));
    unsigned short port = 0;
    std::unique_ptr<http::HttpServer> metrics;
    try {
        port = server.start();
        if (config->metrics_port) {
            metrics = start_metrics_server(
                ioc.get_executor(), routes, config->server.address, *config->metrics_port
            );
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
    const bool tls = !config->server.tls_cert_file.empty();
    fmt::print(
        "nr-analyzer listening on {}://{}:{} ({}GET /healthz, /readyz{}); traces from {}\n",
        tls ? "https" : "http",
        config->server.address,
        port,
        config->endpoint.signing_secret.empty() ? "" : "POST /slack/events, ",
        metrics ? fmt::format("; GET /metrics on port {}", metrics->port()) : ", /metrics",
        traces->demo ? "the demo dataset" : "New Relic"
    );
    if (config->demo) {
        fmt::print(
            "demo mode: no SLACK_SIGNING_SECRET, so only localhost is served and posts go "
            "to {}.\nTry: nr-analyzer simulate \"/trace 4bf92f3577b34da6a3ce929d0e0e4736\"\n",
            config->web.api_url
        );
    }
    fmt::print(
        "/improve: configuration from {}; {} schedule(s); Jira {}; state in {}\n",
        improve->config_source,
        improve->config.schedules.size(),
        improve->tickets ? "on" : "off (no JIRA_URL)",
        state->description
    );
    std::fflush(stdout);
    Scheduler scheduler(ioc.get_executor(), ports, scheduler_state_path());
    scheduler.start();
    std::unique_ptr<slack::SocketModeClient> socket;
    if (config->socket) {
        socket = std::make_unique<slack::SocketModeClient>(
            ioc.get_executor(),
            **client,
            *config->socket,
            [&endpoint](const slack::Envelope& envelope) { return endpoint.on_socket(envelope); }
        );
        socket->start();
        not_ready = [&socket]() -> std::string {
            return socket->stats().connections == 0 ? "Socket Mode has not connected yet" : "";
        };
        fmt::print("Socket Mode: on (connecting to Slack with SLACK_APP_TOKEN)\n");
        std::fflush(stdout);
    }
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec) return;
        const Running running{
            &server,
            metrics.get(),
            &dispatcher,
            &scheduler,
            socket.get(),
            &ioc,
            std::chrono::seconds(config->drain_seconds)};
        asio::co_spawn(ioc, shut_down(running), LogFailure{"shutdown"});
    });
    ioc.run();
    return 0;
}

}  // namespace nra
