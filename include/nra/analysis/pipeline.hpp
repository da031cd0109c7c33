// The whole pure pipeline for one document: read → assemble → summarize. Used by the CLI, the
// demo source, tests and the trace sources once they have the JSON.
#pragma once

#include <string_view>

#include "nra/analysis/summary.hpp"
#include "nra/assemble/assemble.hpp"
#include "nra/formats/formats.hpp"
#include "nra/result.hpp"

namespace nra {

struct PipelineOptions {
    ReadOptions read;
    AssemblyOptions assembly;
    AnalysisOptions analysis;
    std::string_view trace_id;  // pick this trace when the document holds several
};

Result<Summary> analyze_document(std::string_view json, const PipelineOptions& options = {});

}  // namespace nra
