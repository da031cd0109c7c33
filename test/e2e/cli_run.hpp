// Runs the real CLI in a child process for the e2e tests: `env` words prepended (VAR=value), no
// New Relic key or proxy inherited from the machine, stdout and stderr captured apart.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "support/scratch_dir.hpp"

namespace nra::test {

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the CLI with `env` prepended (VAR=value words) and captures stdout and stderr.
inline Run run_cli(const std::string& env, const std::string& args) {
    // A unique file: ctest may run several of these cases at once.
    std::string err_file = std::string(NRA_TEST_TMP_DIR) + "/stderr-XXXXXX";
    const int fd = mkstemp(err_file.data());
    REQUIRE(fd >= 0);
    close(fd);
    const std::string cmd = "env -u NEW_RELIC_API_KEY -u HTTPS_PROXY -u https_proxy " + env + " " +
                            NRA_CLI_PATH + " " + args + " 2>" + err_file;
    Run run;
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 65536> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) run.out.append(buf.data(), n);
    const int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    std::ostringstream err;
    err << in.rdbuf();
    run.err = err.str();
    std::remove(err_file.c_str());
    return run;
}

}  // namespace nra::test
