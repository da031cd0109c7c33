// Test helpers: read a fixture file from test/fixtures/.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace nra::test {

inline std::string read_fixture(const std::string& relative_path) {
    std::ifstream in(std::string(NRA_FIXTURES_DIR) + "/" + relative_path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("missing fixture " + relative_path);
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace nra::test
