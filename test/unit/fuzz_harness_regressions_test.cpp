// Replays, under the normal g++ sanitizer build, the saved inputs of the libFuzzer harnesses
// other than fuzz_pipeline (test/fixtures/fuzz/fuzz_<harness>/: minimized findings) and their
// hand-written seeds (test/fuzz/seeds/<harness>/) through the harnesses' own checks, which throw
// here instead of aborting. So a finding stays fixed in CI without clang or libFuzzer.
#define NRA_FUZZ_NO_MAIN
#define NRA_FUZZ_REPLAY

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

// clang-format off
#include "fuzz/fuzz_baseline.cpp"
#include "fuzz/fuzz_context.cpp"
#include "fuzz/fuzz_inbound.cpp"
#include "fuzz/fuzz_nrql.cpp"
#include "fuzz/fuzz_signature.cpp"
#include "fuzz/fuzz_trace_argument.cpp"
#include "fuzz/format_harness.hpp"

namespace fuzz_harness_regressions_test {

// clang-format on

namespace {

namespace fs = std::filesystem;
using Check = std::function<void(std::string_view)>;

// Harness name → its checks (the format harnesses share run_reader).
const std::map<std::string, Check>& harnesses() {
    static const std::map<std::string, Check> all{
        {"fuzz_baseline", nra::fuzz::baseline::one_input},
        {"fuzz_context", nra::fuzz::context::one_input},
        {"fuzz_inbound", nra::fuzz::inbound::one_input},
        {"fuzz_nrql", nra::fuzz::nrql::one_input},
        {"fuzz_signature", nra::fuzz::signature::one_input},
        {"fuzz_trace_argument", nra::fuzz::trace_argument::one_input},
        {"fuzz_newrelic",
         [](std::string_view in) { nra::fuzz::run_reader(&nra::formats::read_newrelic, in); }},
        {"fuzz_otlp",
         [](std::string_view in) { nra::fuzz::run_reader(&nra::formats::read_otlp, in); }},
        {"fuzz_zipkin",
         [](std::string_view in) { nra::fuzz::run_reader(&nra::formats::read_zipkin, in); }},
        {"fuzz_jaeger",
         [](std::string_view in) { nra::fuzz::run_reader(&nra::formats::read_jaeger, in); }},
    };
    return all;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Every file of `dir` through `check`; the number of files replayed.
std::size_t replay(const fs::path& dir, const Check& check) {
    const auto files = files_in(dir);
    for (const auto& file : files) {
        INFO(file.string());
        const std::string input = read_file(file);
        CHECK_NOTHROW(check(input));
    }
    return files.size();
}

const fs::path kFindings = fs::path(NRA_FIXTURES_DIR) / "fuzz";
const fs::path kSeeds = fs::path(NRA_SOURCE_DIR) / "test" / "fuzz" / "seeds";

}  // namespace

TEST_CASE("every saved harness finding keeps its harness's invariants") {
    std::size_t replayed = 0;
    for (const auto& entry : fs::directory_iterator(kFindings)) {
        if (!entry.is_directory()) continue;  // files there are fuzz_pipeline's
        const std::string name = entry.path().filename().string();
        INFO(name);
        const auto it = harnesses().find(name);
        REQUIRE(it != harnesses().end());  // a folder per harness, named like its binary
        replayed += replay(entry.path(), it->second);
    }
    CHECK(replayed > 0);
}

TEST_CASE("every hand-written seed keeps its harness's invariants") {
    for (const auto& [name, check] : harnesses()) {
        const std::string seeds = name.substr(std::string("fuzz_").size());
        INFO(name);
        const std::size_t replayed = replay(kSeeds / seeds, check);
        // The trace formats are seeded from the trace fixtures instead.
        if (fs::is_directory(kSeeds / seeds)) CHECK(replayed > 0);
    }
}

TEST_CASE("the trace-format harnesses accept every trace fixture of their format") {
    for (const char* format : {"newrelic", "otlp", "zipkin", "jaeger"}) {
        INFO(format);
        CHECK(
            replay(
                fs::path(NRA_FIXTURES_DIR) / format, harnesses().at(std::string("fuzz_") + format)
            ) > 0
        );
    }
}

TEST_CASE("a harness check that fails is reported, not ignored") {
    // A slash command body whose text field is lost would be a violation; a sound one passes.
    CHECK_NOTHROW(nra::fuzz::inbound::one_input("application/x-www-form-urlencoded\ncommand=%2Ft"));
    CHECK_THROWS(nra::fuzz::check(false, "deliberate"));
}

}  // namespace fuzz_harness_regressions_test
