// Factories shared by `trace` and `serve`: the HTTPS client (NR_ANALYZER_CA_FILE, proxies) and
// the trace source (New Relic when NEW_RELIC_API_KEY is set, else the demo dataset).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "http/client.hpp"
#include "nra/ports/baseline_source.hpp"
#include "nra/ports/context_source.hpp"
#include "nra/ports/offload.hpp"
#include "nra/ports/trace_source.hpp"
#include "nra/result.hpp"

namespace nra::newrelic {
class SpanBudget;
}  // namespace nra::newrelic

namespace nra {

Result<std::unique_ptr<http::Client>> make_http_client(boost::asio::any_io_executor executor);

struct TraceSourceChoice {
    std::unique_ptr<TraceSource> source;
    bool demo = true;
};

// Errors name the variable at fault (never a secret's value). `offload` (optional) takes the
// reading and assembling of fetched spans off the I/O thread; `budget` (optional: serve has one,
// the terminal does not) bounds the spans of New Relic traces held in memory at once.
Result<TraceSourceChoice> make_trace_source(
    http::Client& client, Offload offload = {}, newrelic::SpanBudget* budget = nullptr
);

// Usual span durations from New Relic when NEW_RELIC_API_KEY is set, else the demo dataset's;
// `options` bounds how many (service, name) pairs one trace asks for.
Result<std::unique_ptr<BaselineSource>> make_baseline_source(
    http::Client& client, const BaselineOptions& options
);

// The trace's logs and blast radius from New Relic when NEW_RELIC_API_KEY is set, else the demo
// dataset's.
Result<std::unique_ptr<ContextSource>> make_context_source(http::Client& client);

}  // namespace nra
