// A TraceSource that counts what it hands out for analysis (nra_traces_fetched_total by
// outcome, nra_spans_analysed_total), around the real one (New Relic or the demo dataset).
#pragma once

#include "nra/ports/trace_source.hpp"
#include "obs/metrics.hpp"

namespace nra::obs {

class CountingTraceSource final : public TraceSource {
public:
    explicit CountingTraceSource(TraceSource& inner) : inner_(inner) {}

    boost::asio::awaitable<FetchResult> fetch(TraceQuery query, ProgressFn progress) override {
        auto result = co_await inner_.fetch(std::move(query), std::move(progress));
        auto& metrics = registry();
        metrics.count(
            "nra_traces_fetched_total",
            "Trace fetches for analysis, by outcome",
            {{"outcome", std::string(to_string(result.status))}}
        );
        if (result.tree) {
            metrics.count(
                "nra_spans_analysed_total",
                "Spans of the traces handed to the analysis",
                {},
                static_cast<double>(result.tree->size())
            );
        }
        co_return result;
    }

private:
    TraceSource& inner_;
};

}  // namespace nra::obs
