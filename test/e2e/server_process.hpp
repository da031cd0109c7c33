// Runs `nr-analyzer serve` as a child process with a given environment, learns its port from the
// first line it prints, and stops it with SIGTERM, waiting for it to exit (EOF on its stdout).
// Its stderr (the logs) joins stdout, or goes to a file of its own when `stderr_path` is given.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace nra::test {

class ServerProcess {
public:
    // `exe`: another build of the binary (benchmarks comparing two versions).
    explicit ServerProcess(
        const std::map<std::string, std::string>& env,
        const std::string& stderr_path = "",
        std::string exe = NRA_CLI_PATH
    ) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(out[1], STDOUT_FILENO);
            const int err = stderr_path.empty()
                                ? out[1]  // logs too: tests check that no secret shows up
                                : open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (err >= 0) dup2(err, STDERR_FILENO);
            close(out[0]);
            close(out[1]);
            std::vector<std::string> vars;
            for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
            if (const char* path = std::getenv("PATH")) vars.push_back(std::string("PATH=") + path);
            std::vector<char*> envp;
            for (auto& v : vars) envp.push_back(v.data());
            envp.push_back(nullptr);
            char serve[] = "serve";
            char* argv[] = {exe.data(), serve, nullptr};
            execve(exe.c_str(), argv, envp.data());
            _exit(127);
        }
        close(out[1]);
        out_ = out[0];
        static const std::regex listening(R"(listening on (https?)://[^:]+:(\d+))");
        for (int i = 0; i < 50; ++i) {
            const auto line = read_line(std::chrono::seconds(30));
            output_ += line + "\n";
            std::smatch m;
            if (std::regex_search(line, m, listening)) {
                scheme_ = m[1];
                port_ = static_cast<unsigned short>(std::stoi(m[2]));
                return;
            }
            if (line.empty()) break;
        }
        throw std::runtime_error("server did not start: " + output_);
    }

    ~ServerProcess() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (out_ >= 0) close(out_);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    // Everything the server printed (stdout and stderr), complete after terminate().
    const std::string& output() const { return output_; }
    std::string url(const std::string& path) const {
        return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
    }

    // SIGTERM, then wait for the child to close stdout and exit; returns its exit code (-1 when
    // it did not exit within `limit`).
    int terminate(std::chrono::seconds limit = std::chrono::seconds(30)) {
        kill(pid_, SIGTERM);
        while (true) {
            pollfd p{out_, POLLIN, 0};
            const int ready = poll(&p, 1, static_cast<int>(limit.count() * 1000));
            if (ready <= 0) return -1;
            char buf[4096];
            const auto n = read(out_, buf, sizeof buf);
            if (n <= 0) break;  // EOF: the child is gone
            output_.append(buf, static_cast<std::size_t>(n));
        }
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    // Reads what the server prints until one of `needles` has appeared in it (true) or `limit`
    // passed without a line (false): waits for a log line instead of for time.
    bool wait_for_output(const std::vector<std::string>& needles, std::chrono::seconds limit) {
        const auto seen = [&] {
            for (const auto& n : needles) {
                if (output_.find(n) != std::string::npos) return true;
            }
            return false;
        };
        while (!seen()) {
            const auto line = read_line(limit);
            if (line.empty()) return seen();
            output_ += line + "\n";
        }
        return true;
    }

private:
    std::string read_line(std::chrono::seconds limit) {
        std::string line;
        while (true) {
            pollfd p{out_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(limit.count() * 1000)) <= 0) return line;
            char c = 0;
            if (read(out_, &c, 1) != 1 || c == '\n') return line;
            line.push_back(c);
        }
    }

    pid_t pid_ = -1;
    int out_ = -1;
    unsigned short port_ = 0;
    std::string scheme_ = "http";
    std::string output_;
};

}  // namespace nra::test
