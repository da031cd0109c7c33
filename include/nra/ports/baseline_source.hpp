// BaselineSource port: the usual durations of a trace's (service, name) pairs over a recent
// window, excluding the trace itself (New Relic NerdGraph, the demo dataset, a recorded file).
// Expected outcomes (rate limited, timed out, …) are values; only bugs throw.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "nra/analysis/baseline.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra {

struct BaselineQuery {
    std::vector<BaselineKey> keys;  // most important first; the source may cap them
    std::string trace_id;           // excluded from the samples
    int window_hours = 24;
};

struct BaselineResult {
    FetchStatus status = FetchStatus::failed;  // found even when some keys have no rows
    std::string message;               // one line for the user when status != found; no secrets
    std::vector<BaselineStats> stats;  // keys with data; a key without a row has no baseline
    std::string window;                // e.g. "last 24 h", for the summary
};

class BaselineSource {
public:
    virtual ~BaselineSource() = default;
    virtual boost::asio::awaitable<BaselineResult> baselines(BaselineQuery query) = 0;
};

}  // namespace nra
