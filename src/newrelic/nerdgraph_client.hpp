// One NRQL query through NerdGraph, with New Relic's failure modes turned into plain outcomes:
// HTTP retries (429, 5xx, timeouts) come from http::send_with_retry; GraphQL-level ones (HTTP 200
// with errorClass TIMEOUT → a longer nrql timeout, TOO_MANY_REQUESTS, SERVER_ERROR, unreadable
// bodies) are retried here, all within the config's time budget.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "newrelic/nerdgraph_response.hpp"
#include "newrelic/newrelic_config.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra::http {
class Client;
}

namespace nra::newrelic {

struct NrqlResult {
    FetchStatus status = FetchStatus::found;  // found = answer holds the rows
    std::string message;                      // for the user when not found; never the key
    NrqlAnswer answer;
    int attempts = 0;  // HTTP requests sent for this query
};

class NerdGraphClient {
public:
    NerdGraphClient(http::Client& http, NewRelicConfig config);

    boost::asio::awaitable<NrqlResult> query(std::vector<std::int64_t> accounts, std::string nrql);

    const NewRelicConfig& config() const { return config_; }

private:
    http::Request make_request(
        const std::vector<std::int64_t>& accounts,
        const std::string& nrql,
        int timeout_s,
        std::chrono::milliseconds left
    ) const;

    http::Client& http_;
    NewRelicConfig config_;
    std::string host_;  // for messages
};

// Pure mapping of a transport outcome that did not yield a usable 200 (exposed for tests).
NrqlResult describe_http_failure(const http::Outcome& outcome, std::string_view host);

}  // namespace nra::newrelic
