// Levenshtein distance (insertions, deletions, substitutions; bytes), for "did you mean"
// suggestions on configuration keys and service names. Pure.
#pragma once

#include <cstddef>
#include <string_view>

namespace nra {

std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace nra
