#pragma once
// A scratch directory per test source file: <build>/test/tmp/<file stem>, created on first use.
// ctest runs test cases in parallel, each in its own process, so files with the same name written
// by cases of different test files must not meet; cases of one file pick distinct names.

#include <filesystem>
#include <string>
#include <string_view>

namespace nra::test {

inline std::string scratch_dir_for(std::string_view source_file) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(NRA_TEST_TMP_ROOT) / fs::path(source_file).stem();
    std::error_code ignored;
    fs::create_directories(dir, ignored);
    return dir.string();
}

}  // namespace nra::test

// The calling file's scratch directory, as a std::string.
#define NRA_TEST_TMP_DIR (::nra::test::scratch_dir_for(__FILE__))
