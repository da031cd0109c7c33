// Recorded answers to the baseline query (baseline_queries.hpp): what NerdGraph returns, read
// into usual span durations. Pure; shared by the live source, `trace --baseline FILE` and the
// demo dataset.
#pragma once

#include <string_view>
#include <vector>

#include "nra/analysis/baseline.hpp"
#include "nra/result.hpp"

namespace nra {

// Reads a recorded answer to the baseline query: a NerdGraph response ({"data":{"actor":…
// "nrql":{"results":[…]}}}) or a bare `results` array of FACET rows. Rows carry "facet"
// [service, name] (or the attributes `entity.name` and `name`), the sample count under
// "samples", and percentiles as objects keyed "50"/"50.0"… under "ms" (milliseconds, OTel
// duration.ms) or "s" (seconds, agent duration). Rows without both names are skipped.
// A third facet element (or a "callee" attribute) is the callee of a callee-keyed baseline.
Result<std::vector<BaselineStats>> read_baseline_results(std::string_view json);
// The same for an answer to callee_baseline_nrql(): rows faceted "c<i>" are the usual durations
// of cases[i] (the keys asked, in order).
Result<std::vector<BaselineStats>> read_baseline_results(
    std::string_view json, const std::vector<BaselineKey>& cases
);

}  // namespace nra
