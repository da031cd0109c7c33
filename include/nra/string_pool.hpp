// StringPool: interns strings so that 100k-span traces store each service name, span name and
// attribute key once. Views returned by intern() stay valid for the pool's lifetime (deque
// storage).
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace nra {

class StringPool {
public:
    std::string_view intern(std::string_view s);
    std::size_t size() const { return store_.size(); }

private:
    std::deque<std::string> store_;
    std::unordered_set<std::string_view> index_;
};

}  // namespace nra
