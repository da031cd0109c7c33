// Shared helpers of the nr-analyzer.yaml loader tests.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/improve_config_yaml.hpp"
#include "support/scratch_dir.hpp"

namespace yaml_test {

using namespace nra;
using namespace nra::config;
namespace fs = std::filesystem;

inline Result<LoadedConfig> parse(std::string_view yaml) {
    return parse_improve_config(yaml, "t.yaml");
}

inline ImproveConfig parse_ok(std::string_view yaml) {
    auto r = parse(yaml);
    INFO(yaml);
    REQUIRE(r.ok());
    CHECK(r->warnings.empty());
    return r->config;
}

inline std::string error_of(std::string_view yaml) {
    auto r = parse(yaml);
    INFO(yaml);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

inline void write_file(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.flush());
}

// A fresh directory, removed afterwards (unique: ctest runs test cases in parallel).
struct TempDir {
    fs::path path;
    TempDir() {
        const fs::path base = NRA_TEST_TMP_DIR;
        auto pattern = (base / "nra-config-test-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// resolve_improve_config looks in the working directory; restore it whatever happens.
struct WorkingDirectory {
    fs::path previous = fs::current_path();
    explicit WorkingDirectory(const fs::path& dir) { fs::current_path(dir); }
    ~WorkingDirectory() {
        std::error_code ignored;
        fs::current_path(previous, ignored);
    }
    WorkingDirectory(const WorkingDirectory&) = delete;
    WorkingDirectory& operator=(const WorkingDirectory&) = delete;
};

const fs::path kExample = fs::path(NRA_SOURCE_DIR) / "nr-analyzer.example.yaml";

}  // namespace yaml_test
