// IdIndex: span id → span index, open addressing with stored hashes (assembly's hot lookups).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "nra/string_pool.hpp"

namespace nra::assembly {

class IdIndex {
public:
    explicit IdIndex(std::size_t expected) {
        std::size_t cap = 16;
        while (cap < expected * 2) cap *= 2;
        slots_.resize(cap);
    }

    // Inserts id → index unless present; returns the index stored for id.
    std::int32_t insert(std::string_view id, std::int32_t index) {
        const auto h = hash_string(id);
        std::size_t i = h & (slots_.size() - 1);
        while (slots_[i].index >= 0) {
            if (slots_[i].hash == h && slots_[i].id == id) return slots_[i].index;
            i = (i + 1) & (slots_.size() - 1);
        }
        slots_[i] = {id, h, index};
        return index;
    }

    // The index for id, or -1.
    std::int32_t find(std::string_view id) const {
        const auto h = hash_string(id);
        std::size_t i = h & (slots_.size() - 1);
        while (slots_[i].index >= 0) {
            if (slots_[i].hash == h && slots_[i].id == id) return slots_[i].index;
            i = (i + 1) & (slots_.size() - 1);
        }
        return -1;
    }

private:
    struct Slot {
        std::string_view id;
        std::uint32_t hash = 0;
        std::int32_t index = -1;
    };
    std::vector<Slot> slots_;
};

}  // namespace nra::assembly
