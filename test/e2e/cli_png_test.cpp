// `nr-analyzer trace … --png FILE` through the real binary: a demo trace and a trace file each
// give a readable PNG next to the usual text; a path that cannot be written is one error line.
#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"
#include "picture/cairo_painter.hpp"
#include "support/scratch_dir.hpp"

namespace cli_png_test {

namespace {

using nra::test::Run;

// The CLI in demo mode (no New Relic key), stderr folded into the output.
Run run_cli(const std::string& args) {
    Run run = nra::test::run_cli("", args);
    run.out += run.err;
    return run;
}
std::string read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string kTmp = NRA_TEST_TMP_DIR;

}  // namespace

TEST_CASE("trace <demo id> --png writes the picture beside the text") {
    const std::string path = kTmp + "/demo-checkout.png";
    std::filesystem::remove(path);
    const auto run = run_cli("trace 4bf92f3577b34da6a3ce929d0e0e4736 --png " + path);
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("N+1 queries in order-service") != std::string::npos);
    const auto image = nra::picture::read_png(read_binary(path));
    REQUIRE(image);
    CHECK(image->width == 1200);
    CHECK(image->height > 300);
}

TEST_CASE("trace --file … --png works on trace files too") {
    const std::string path = kTmp + "/yelp.png";
    std::filesystem::remove(path);
    const auto run = run_cli(
        "trace --file " + std::string(NRA_FIXTURES_DIR) + "/zipkin/yelp.json --format json --png " +
        path
    );
    INFO(run.out);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("\"span_count\": 16") != std::string::npos);
    CHECK(nra::picture::read_png(read_binary(path)).has_value());
}

TEST_CASE("an unwritable --png path is one clear error line, after the analysis") {
    const auto run = run_cli(
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 --format json --png " + kTmp + "/no/such/dir/x.png"
    );
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("\"trace_id\"") != std::string::npos);
    CHECK(run.out.find("error: cannot write " + kTmp + "/no/such/dir/x.png") != std::string::npos);
}

TEST_CASE("a missing or dash --png file name is a usage error") {
    CHECK(run_cli("trace 4bf92f3577b34da6a3ce929d0e0e4736 --png").exit_code == 2);
    const auto dash = run_cli("trace 4bf92f3577b34da6a3ce929d0e0e4736 --png -");
    CHECK(dash.exit_code == 2);
    CHECK(dash.out.find("--png needs a file name") != std::string::npos);
}

}  // namespace cli_png_test
