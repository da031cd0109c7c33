// The Slack side of `serve` wired as the composition root wires it: the route table in front,
// the events endpoint (signatures, parsing, allow-list) and the dispatcher (registry, job queue,
// limits) behind it, with the ports the test gives.
#pragma once

#include <memory>

#include "app/serve_routes.hpp"
#include "app/slack_dispatcher.hpp"
#include "slack/events_endpoint.hpp"

namespace nra::test {

class SlackRig {
public:
    SlackRig(
        const boost::asio::any_io_executor& executor,
        slack::EndpointConfig endpoint_config,
        DispatchConfig dispatch,
        const Ports& ports,
        SlackDispatcher::EpochSeconds now
    )
        : dispatcher(executor, dispatch, ports, now),
          endpoint(std::move(endpoint_config), dispatcher, now),
          routes_(serve_routes(
              serve_route_table(
                  [this](const http::ServerRequest& request) { return endpoint.handle(request); },
                  nullptr
              ),
              ServedPaths::all
          )) {}

    // One HTTP request through the server's route table.
    http::ServerResponse handle(const http::ServerRequest& request) { return routes_(request); }

    struct Stats {
        std::size_t busy = 0;
        std::size_t duplicates = 0;
        std::size_t bad_signatures = 0;
    };
    Stats stats() const {
        return {dispatcher.stats().busy, dispatcher.stats().duplicates, endpoint.bad_signatures()};
    }

    SlackDispatcher dispatcher;
    slack::EventsEndpoint endpoint;

private:
    http::RequestHandler routes_;
};

}  // namespace nra::test
