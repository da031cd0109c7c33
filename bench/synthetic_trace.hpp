// Synthetic New Relic traces for the benchmark: a NerdGraph response of `n` Span rows with a
// realistic shape (24 services, depth up to 11, repeated statements and N+1 bursts, some errors,
// both attribute dialects). Deterministic for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nra/analysis/baseline.hpp"

namespace nra::bench {

std::string make_trace_json(std::size_t n, std::uint64_t seed);

// Usual durations for every key a trace asks for (half of them well below the synthetic
// traces'), so apply_baselines judges and attributes as it would with a real answer.
std::vector<BaselineStats> usual_for(const std::vector<BaselineKey>& keys);

}  // namespace nra::bench
