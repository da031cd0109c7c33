// Which paths each HTTP server of `serve` answers. Without NR_ANALYZER_METRICS_PORT the main
// port answers everything; with it, GET /metrics is on that port alone (plain HTTP, for hosts
// without an ingress, whose main port faces Slack) and everything else on the main one.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "http/server.hpp"
#include "slack/events_endpoint.hpp"

namespace nra {

enum class ServedPaths { all, all_but_metrics, metrics_only };

// The request handler of one server: the endpoint for its paths, 404 for the others.
http::RequestHandler serve_routes(slack::EventsEndpoint& endpoint, ServedPaths paths);

// The metrics port's server, started: plain HTTP on `address`:`port` (0: any free port), a few
// connections. Throws std::runtime_error naming the address when it cannot listen.
std::unique_ptr<http::HttpServer> start_metrics_server(
    const boost::asio::any_io_executor& executor,
    slack::EventsEndpoint& endpoint,
    const std::string& address,
    unsigned short port
);

}  // namespace nra
