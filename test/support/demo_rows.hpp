// The bundled demo traces (demo/traces/<id>.json) as New Relic Span rows, for tests that serve
// them from the fake NerdGraph instead of the embedded demo dataset.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace nra::test {

inline std::string demo_trace_path(const std::string& trace_id) {
    return std::string(NRA_SOURCE_DIR) + "/demo/traces/" + trace_id + ".json";
}

inline nlohmann::json demo_trace_rows(const std::string& trace_id) {
    std::ifstream in(demo_trace_path(trace_id), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str())["data"]["actor"]["account"]["nrql"]["results"];
}

}  // namespace nra::test
