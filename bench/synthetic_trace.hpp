// Synthetic New Relic traces for the benchmark: a NerdGraph response of `n` Span rows with a
// realistic shape (24 services, depth up to 11, repeated statements and N+1 bursts, some errors,
// both attribute dialects). Deterministic for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nra::bench {

std::string make_trace_json(std::size_t n, std::uint64_t seed);

}  // namespace nra::bench
