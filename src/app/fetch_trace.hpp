// Composition root for fetching one trace from the terminal: New Relic when NEW_RELIC_API_KEY is
// set (HTTPS client with NR_ANALYZER_CA_FILE and HTTPS_PROXY/NO_PROXY), else the demo dataset.
// Runs its own io_context until the fetch is done.
#pragma once

#include "nra/ports/baseline_source.hpp"
#include "nra/ports/trace_source.hpp"

namespace nra {

// Never throws: configuration errors and internal failures come back as a failed FetchResult
// with a one-line message (details in the log).
FetchResult fetch_trace_blocking(TraceQuery query, ProgressFn progress);

// The usual durations of a trace's spans, from the same place the trace came from.
BaselineResult fetch_baselines_blocking(BaselineQuery query, const BaselineOptions& options);

}  // namespace nra
