#include "nra/string_pool.hpp"

namespace nra {

std::string_view StringPool::intern(std::string_view s) {
    if (s.empty()) {
        return {};
    }
    if (auto it = index_.find(s); it != index_.end()) {
        return *it;
    }
    const std::string& stored = store_.emplace_back(s);
    std::string_view view = stored;
    index_.insert(view);
    return view;
}

}  // namespace nra
