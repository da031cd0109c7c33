// An environment for tests of code that reads settings through a lookup function: the given
// variables, nothing else.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nra::test {

inline auto env_map(std::map<std::string, std::string> values) {
    return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        const auto found = values.find(std::string(name));
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

}  // namespace nra::test
