#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

namespace nra::test {

namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A port the kernel just gave out for 127.0.0.1:0; redis-server cannot listen on port 0.
std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    auto address = loopback(0);
    socklen_t length = sizeof(address);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot bind 127.0.0.1:0");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

// True when something on the port answers a RESP PING (+PONG, or -NOAUTH with a password).
bool answers_ping(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    timeval timeout{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    auto address = loopback(port);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
        const char ping[] = "*1\r\n$4\r\nPING\r\n";
        char reply = 0;
        ok = ::send(fd, ping, sizeof(ping) - 1, MSG_NOSIGNAL) > 0 &&
             ::recv(fd, &reply, 1, 0) == 1 && (reply == '+' || reply == '-');
    }
    ::close(fd);
    return ok;
}

}  // namespace

RedisServer::RedisServer(std::string password) : password_(std::move(password)) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (start_on(free_port())) return;  // else someone took the port meanwhile: another
    }
    throw std::runtime_error("redis-server did not start (is it installed?)");
}

RedisServer::~RedisServer() {
    kill();
}

std::string RedisServer::url() const {
    const std::string auth = password_.empty() ? "" : ":" + password_ + "@";
    return "redis://" + auth + "127.0.0.1:" + std::to_string(port_);
}

// NRA_REDIS_SERVER names another binary; the default is Debian's.
static const char* server_binary() {
    const char* path = std::getenv("NRA_REDIS_SERVER");
    if (path == nullptr) path = "/usr/bin/redis-server";
    if (::access(path, X_OK) != 0) {
        throw std::runtime_error(std::string("redis-server not found at ") + path);
    }
    return path;
}

bool RedisServer::start_on(std::uint16_t port) {
    const char* binary = server_binary();
    std::vector<std::string> args = {
        "redis-server",
        "--port",
        std::to_string(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
    };
    if (!password_.empty()) {
        args.insert(args.end(), {"--requirepass", password_});
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork() failed");
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execv(binary, argv.data());  // no PATH search: only async-signal-safe calls here
        ::_exit(127);
    }
    pid_ = pid;
    port_ = port;
    // Poll until it answers, it exits (port taken, not installed) or 10 s pass.
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (answers_ping(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // between connect attempts
    }
    kill();
    return false;
}

void RedisServer::kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void RedisServer::restart() {
    kill();
    // The port was ours a moment ago; give a few tries in case the kernel is slow to release it.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (start_on(port_)) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("redis-server did not restart on its port");
}

}  // namespace nra::test
