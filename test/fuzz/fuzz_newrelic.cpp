// libFuzzer harness: the newrelic trace reader on any JSON document (see format_harness.hpp).
#include "format_harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nra::fuzz::run_reader(&nra::formats::read_newrelic, nra::fuzz::as_text(data, size));
    return 0;
}
