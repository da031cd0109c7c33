#include "app/serve_routes.hpp"

namespace nra {
namespace {

constexpr std::size_t kMetricsConnections = 16;  // a scraper or two, and someone with curl

struct Routes {
    slack::EventsEndpoint* endpoint;
    ServedPaths paths;

    http::ServerResponse operator()(const http::ServerRequest& request) const {
        const bool metrics = request.path() == "/metrics";
        const bool elsewhere = (paths == ServedPaths::all_but_metrics && metrics) ||
                               (paths == ServedPaths::metrics_only && !metrics);
        if (!elsewhere) return endpoint->handle(request);
        http::ServerResponse not_here;
        not_here.status = 404;
        not_here.body = R"({"error":"not found"})";
        return not_here;
    }
};

}  // namespace

http::RequestHandler serve_routes(slack::EventsEndpoint& endpoint, ServedPaths paths) {
    return Routes{&endpoint, paths};
}

std::unique_ptr<http::HttpServer> start_metrics_server(
    const boost::asio::any_io_executor& executor,
    slack::EventsEndpoint& endpoint,
    const std::string& address,
    unsigned short port
) {
    http::ServerOptions options;
    options.address = address;
    options.port = port;
    options.max_connections = kMetricsConnections;
    auto server = std::make_unique<http::HttpServer>(
        executor, options, serve_routes(endpoint, ServedPaths::metrics_only)
    );
    server->start();
    return server;
}

}  // namespace nra
