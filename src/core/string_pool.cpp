#include "nra/string_pool.hpp"

#include <cstring>

namespace nra {
namespace {

constexpr std::size_t kBlockSize = 64 * 1024;

}  // namespace

// FNV-1a over 8-byte words then bytes: cheap, and good enough for an index with stored hashes.
std::uint32_t hash_string(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 29U;
    }
    for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 1099511628211ULL;
    h ^= h >> 32U;
    return static_cast<std::uint32_t>(h);
}

std::string_view StringPool::store(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > left_) {
        const std::size_t size = s.size() > kBlockSize / 4 ? s.size() : kBlockSize;
        blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
        if (size != kBlockSize) {  // a big string gets its own block; keep filling the current one
            std::memcpy(blocks_.back().get(), s.data(), s.size());
            return {blocks_.back().get(), s.size()};
        }
        cursor_ = blocks_.back().get();
        left_ = size;
    }
    std::memcpy(cursor_, s.data(), s.size());
    std::string_view out{cursor_, s.size()};
    cursor_ += s.size();
    left_ -= s.size();
    return out;
}

void StringPool::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (s.data == nullptr) continue;
        std::size_t i = s.hash & mask;
        while (slots_[i].data != nullptr) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

std::string_view StringPool::intern(std::string_view s) {
    if (s.empty()) return {};
    if ((count_ + 1) * 2 > slots_.size()) grow();  // load factor ≤ 0.5
    const std::uint32_t h = hash_string(s);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].data != nullptr) {
        const Slot& slot = slots_[i];
        if (slot.hash == h && slot.size == s.size() &&
            std::memcmp(slot.data, s.data(), s.size()) == 0) {
            return {slot.data, slot.size};
        }
        i = (i + 1) & mask;
    }
    const std::string_view stored = store(s);
    slots_[i] = Slot{stored.data(), static_cast<std::uint32_t>(stored.size()), h};
    ++count_;
    return stored;
}

}  // namespace nra
