// Test helpers for the format readers: read a document or a fixture that must succeed, and the
// small queries the format tests ask of the result.
#pragma once

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>

#include "nra/formats/formats.hpp"
#include "support/fixtures.hpp"

namespace nra::test {

inline Trace parse(const std::string& json, std::string_view trace_id = {}) {
    auto result = read_trace(json, {}, trace_id);
    INFO(json.substr(0, 200) << ": " << (result.ok() ? "" : result.error()));
    REQUIRE(result.ok());
    return std::move(result).value();
}

inline Trace load(const std::string& path) {
    INFO(path);
    return parse(read_fixture(path));
}

inline std::size_t services(const Trace& trace) {
    std::set<std::string_view> names;
    for (const auto& span : trace.spans) names.insert(span.service);
    return names.size();
}

// An attribute kept in Span::attributes, or "<absent>" (unlike nra::attribute, tells an empty
// value from a missing one).
inline std::string_view attr(const Span& span, std::string_view key) {
    for (const auto& [k, v] : span.attributes) {
        if (k == key) return v;
    }
    return "<absent>";
}

}  // namespace nra::test
