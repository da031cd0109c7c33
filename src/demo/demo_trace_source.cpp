#include "demo/demo_trace_source.hpp"

#include <fmt/format.h>

#include "demo/demo_data.hpp"
#include "nra/formats/formats.hpp"

namespace nra {

boost::asio::awaitable<FetchResult>
DemoTraceSource::fetch(TraceQuery query, ProgressFn /*progress*/) {
    FetchResult result;
    for (const auto& demo : demo_traces()) {
        bool match = demo.trace_id == query.trace_id;
        for (const auto& alt : query.alternates) match = match || demo.trace_id == alt;
        if (!match) continue;
        auto trace = read_trace(demo.json);
        if (!trace) {
            result.message =
                fmt::format("demo trace {} is unreadable: {}", demo.trace_id, trace.error());
            co_return result;
        }
        result.status = FetchStatus::found;
        result.tree.emplace(assemble(std::move(trace).value()));
        co_return result;
    }
    result.status = FetchStatus::not_found;
    result.message = fmt::format(
        "no trace {} in the demo dataset (set NEW_RELIC_API_KEY for live data; `nr-analyzer demo` "
        "lists the demo ids)",
        query.trace_id
    );
    co_return result;
}

}  // namespace nra
