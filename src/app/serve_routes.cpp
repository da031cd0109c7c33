#include "app/serve_routes.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "obs/metrics.hpp"

namespace nra {
namespace {

constexpr std::size_t kMetricsConnections = 16;  // a scraper or two, and someone with curl

http::ServerResponse json_answer(int status, std::string body) {
    http::ServerResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

http::ServerResponse not_found() {
    return json_answer(404, R"({"error":"not found"})");
}

struct Routes {
    std::vector<Route> table;
    ServedPaths paths;

    http::ServerResponse operator()(const http::ServerRequest& request) const {
        const auto start = std::chrono::steady_clock::now();
        const auto path = request.path();
        std::string label = "other";
        http::ServerResponse response = not_found();
        for (const auto& route : table) {
            if (route.path != path) continue;
            const bool metrics = path == "/metrics";
            const bool here = paths == ServedPaths::all ||
                              (paths == ServedPaths::all_but_metrics && !metrics) ||
                              (paths == ServedPaths::metrics_only && metrics);
            const bool read = request.method == "GET" || request.method == "HEAD";
            if (here && (read || !route.read_only)) {
                label = std::string(route.label);
                response = route.handle(request);
            }
            break;
        }
        obs::record_request(label, response.status, start);
        return response;
    }
};

}  // namespace

std::vector<Route> serve_route_table(http::RequestHandler slack, const NotReady* not_ready) {
    std::vector<Route> table;
    table.push_back({"/healthz", "healthz", true, [](const http::ServerRequest&) {
                         return json_answer(200, R"({"status":"ok"})");
                     }});
    table.push_back({"/readyz", "readyz", true, [not_ready](const http::ServerRequest&) {
                         const auto problem =
                             not_ready != nullptr && *not_ready ? (*not_ready)() : std::string();
                         if (problem.empty()) return json_answer(200, R"({"status":"ready"})");
                         return json_answer(503, nlohmann::json{{"status", problem}}.dump());
                     }});
    table.push_back({"/metrics", "metrics", true, [](const http::ServerRequest&) {
                         http::ServerResponse r;
                         r.content_type = "text/plain; version=0.0.4";
                         r.body = obs::registry().render();
                         return r;
                     }});
    if (slack) table.push_back({"/slack/events", "slack_events", false, std::move(slack)});
    return table;
}

http::RequestHandler serve_routes(std::vector<Route> table, ServedPaths paths) {
    return Routes{std::move(table), paths};
}

std::unique_ptr<http::HttpServer> start_metrics_server(
    const boost::asio::any_io_executor& executor,
    std::vector<Route> table,
    const std::string& address,
    unsigned short port
) {
    http::ServerOptions options;
    options.address = address;
    options.port = port;
    options.max_connections = kMetricsConnections;
    auto server = std::make_unique<http::HttpServer>(
        executor, options, serve_routes(std::move(table), ServedPaths::metrics_only)
    );
    server->start();
    return server;
}

}  // namespace nra
