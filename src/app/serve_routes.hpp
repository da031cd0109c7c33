// The HTTP routes of `serve`, as one table: the ops routes (GET /healthz, /readyz, /metrics) and
// Slack's POST /slack/events. Without NR_ANALYZER_METRICS_PORT the main port answers every route;
// with it, GET /metrics is on that port alone (plain HTTP, for hosts without an ingress, whose
// main port faces Slack) and everything else on the main one. Every answer is counted in
// nra_requests_total / nra_ack_seconds under the route's fixed label, never the raw path.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.hpp"

namespace nra {

struct Route {
    std::string_view path;
    std::string_view label;  // the metrics label
    bool read_only;          // GET and HEAD only (others: 404); else the handler checks methods
    http::RequestHandler handle;
};

// GET /readyz answers 503 with this text while it is non-empty (e.g. Socket Mode has not
// connected yet); unset or empty: ready.
using NotReady = std::function<std::string()>;

// The table: /healthz, /readyz (asking `*not_ready`, which may be set later), /metrics (the
// process registry), and /slack/events when `slack` is set.
std::vector<Route> serve_route_table(http::RequestHandler slack, const NotReady* not_ready);

enum class ServedPaths { all, all_but_metrics, metrics_only };

// The request handler of one server: the table's routes for its paths, 404 for the others.
http::RequestHandler serve_routes(std::vector<Route> table, ServedPaths paths);

// The metrics port's server, started: plain HTTP on `address`:`port` (0: any free port), a few
// connections. Throws std::runtime_error naming the address when it cannot listen.
std::unique_ptr<http::HttpServer> start_metrics_server(
    const boost::asio::any_io_executor& executor,
    std::vector<Route> table,
    const std::string& address,
    unsigned short port
);

}  // namespace nra
