// Private: the attribute names that fill Span fields, looked up by a small perfect-enough hash
// table (this runs for every key of every New Relic row, so it must not allocate or chase nodes).
#pragma once

#include <cstdint>
#include <string_view>

#include "span_builder.hpp"

namespace nra::formats {

struct KeyRule {
    std::string_view key;
    Field field = Field::count;
    std::uint8_t rank = 0;       // lower wins among names of the same field
    bool newrelic_only = false;  // row keys that mean something else in tags (id, name, duration…)
};

// The rule for `key`, or nullptr when the key is a plain attribute.
const KeyRule* find_key_rule(std::string_view key);

// FNV-1a: cheap for the short attribute names that dominate.
inline std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261U;
    for (char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return h;
}

}  // namespace nra::formats
