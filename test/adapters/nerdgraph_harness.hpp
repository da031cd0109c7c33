// Shared set-up of the NerdGraph adapter tests: a fake NerdGraph, an HTTPS client trusting the
// test CA, and a config with short delays so retries and re-queries run in milliseconds.
#pragma once

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "newrelic/nerdgraph_trace_source.hpp"
#include "support/fake_nerdgraph.hpp"
#include "support/fixtures.hpp"
#include "support/log_capture.hpp"
#include "support/run_async.hpp"
#include "support/test_pki.hpp"

namespace nra::test {

inline nlohmann::json fixture_rows(const std::string& path) {
    auto doc = nlohmann::json::parse(read_fixture(path));
    if (doc.contains("results")) return doc["results"];
    auto& actor = doc["data"]["actor"];
    return actor.contains("account") ? actor["account"]["nrql"]["results"]
                                     : actor["nrql"]["results"];
}

struct NerdGraphHarness {
    explicit NerdGraphHarness(FakeServerOptions options = {}) : fake(std::move(options)) {
        config.api_key = FakeNerdGraph::kApiKey;
        config.accounts = {1};
        config.graphql_url = fake.url();
        config.retry_base_delay = std::chrono::milliseconds(1);
        config.requery_delay = std::chrono::milliseconds(1);
        config.requeries = 0;
        client_options.ca_pem = test_pki().ca_pem;
    }
    NerdGraphHarness(const NerdGraphHarness&) = delete;
    NerdGraphHarness& operator=(const NerdGraphHarness&) = delete;

    FetchResult fetch(const std::string& trace_id) {
        http::Client client(ioc.get_executor(), client_options);
        newrelic::NerdGraphTraceSource source(client, config, {}, offload);
        ProgressFn progress = [this](const FetchProgress& p) { progress_seen.push_back(p); };
        return run_blocking(ioc, source.fetch({trace_id, {}}, progress));
    }

    bool logs_mention(const std::string& text) const { return logs.mentions(text); }

    LogCapture logs;  // debug level: retries and re-queries are logged too
    FakeNerdGraph fake;
    boost::asio::io_context ioc;
    http::ClientOptions client_options;
    newrelic::NewRelicConfig config;
    Offload offload;  // empty: rows are read inline
    std::vector<FetchProgress> progress_seen;
};

}  // namespace nra::test
