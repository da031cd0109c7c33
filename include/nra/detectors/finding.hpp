// Finding: one concrete problem a detector found, with the spans that show it and the time a fix
// would save. Field names follow the Summary JSON contract (PRODUCT.md).
#pragma once

#include <string>
#include <vector>

#include "nra/analysis/baseline.hpp"

namespace nra {

struct Finding {
    std::string kind;  // n_plus_one_db, n_plus_one_http, sequential_calls, slow_db, retries,
                       // uninstrumented_gap, call_gap, error_origin
    std::string service;
    std::string summary;  // one plain sentence, e.g. "48 identical SELECTs under GET /cart: N+1"
    std::vector<std::string> span_ids;
    int count = 0;
    double total_ms = 0;
    double saving_ms = 0;
    std::string statement;   // normalized statement or endpoint, when there is one
    std::string suggestion;  // what to do about it
    std::string location;    // code.function (file:line) when the spans carry it
    // The same code.* attributes, separately, for links to the source (empty / 0 when absent).
    std::string code_filepath{};  // {}: aggregate initializers written before these stay valid
    std::string code_function{};
    int code_lineno = 0;
    // Set by apply_baselines: standing (always there) or part of what is unusual in this trace.
    FindingContext context{FindingContext::unknown};
};

}  // namespace nra
