#include "nra/analysis/pipeline.hpp"

namespace nra {

Result<Summary> analyze_document(std::string_view json, const PipelineOptions& options) {
    auto trace = read_trace(json, options.read, options.trace_id);
    if (!trace) {
        return make_error(trace.error());
    }
    const TraceTree tree = assemble(std::move(trace).value(), options.assembly);
    return summarize(tree, options.analysis);
}

}  // namespace nra
