// libFuzzer entry point: any byte string is a candidate trace document. The pipeline must never
// crash, hang or overflow the stack, and every invariant in pipeline_invariants.hpp must hold;
// a violation aborts so libFuzzer saves the input. Built by test/fuzz/run.sh (clang only).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "pipeline_invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view document(reinterpret_cast<const char*>(data), size);
    // A second, input-dependent terminal width (1..120) so narrow layouts get exercised too.
    const int narrow_width = static_cast<int>(size % 120) + 1;
    const std::string problem = nra::fuzz::check_document(document, narrow_width);
    if (!problem.empty()) {
        std::fprintf(stderr, "invariant violated: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
