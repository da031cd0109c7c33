// Writes a synthetic New Relic trace (the benchmark's shape, synthetic_trace.hpp) to a file, for
// the whole-process benchmark (bench/process.sh) and for trying big traces by hand.
// Usage: nra_gen_trace SPANS FILE [SEED]
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "synthetic_trace.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        fmt::print(stderr, "usage: nra_gen_trace SPANS FILE [SEED]\n");
        return 2;
    }
    const auto spans = std::strtoull(argv[1], nullptr, 10);
    const auto seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0x5EED0000 + spans;
    const std::string json = nra::bench::make_trace_json(spans, seed);
    std::ofstream out(argv[2], std::ios::binary);
    out.write(json.data(), static_cast<std::streamsize>(json.size()));
    if (!out) {
        fmt::print(stderr, "nra_gen_trace: cannot write {}\n", argv[2]);
        return 1;
    }
    fmt::print("{}: {} spans, {:.1f} MB\n", argv[2], spans, static_cast<double>(json.size()) / 1e6);
    return 0;
}
