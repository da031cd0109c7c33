// StringPool: interns strings so that 100k-span traces store each service name, span name and
// attribute key once. Views returned by intern()/store() stay valid for the pool's lifetime:
// characters live in an arena of fixed blocks that never move; the index is open addressing.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace nra {

// A fast, non-cryptographic 32-bit hash for strings (ids, names).
std::uint32_t hash_string(std::string_view s);

class StringPool {
public:
    // Returns the pooled copy of `s`, adding it once.
    std::string_view intern(std::string_view s);
    // Copies `s` into the arena without de-duplication (for strings that are unique anyway).
    std::string_view store(std::string_view s);
    std::size_t size() const { return count_; }

private:
    struct Slot {
        const char* data = nullptr;
        std::uint32_t size = 0;
        std::uint32_t hash = 0;
    };
    void grow();

    std::vector<std::unique_ptr<char[]>> blocks_;  // NOLINT(modernize-avoid-c-arrays): raw arena
    char* cursor_ = nullptr;
    std::size_t left_ = 0;
    std::vector<Slot> slots_;
    std::size_t count_ = 0;
};

}  // namespace nra
