// A real redis-server child process on 127.0.0.1 for adapter tests: a free port, no persistence,
// an optional password; ready (it answered a PING) when the constructor returns. kill() and
// restart() (same port) for outage tests; stopped in the destructor.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace nra::test {

class RedisServer {
public:
    explicit RedisServer(std::string password = "");
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    std::uint16_t port() const { return port_; }
    const std::string& password() const { return password_; }
    std::string url() const;  // redis://[:password@]127.0.0.1:port

    void kill();     // SIGKILL, as a crash: clients see their connections drop
    void restart();  // a fresh, empty server on the same port (kill() first if running)
    bool running() const { return pid_ > 0; }

private:
    bool start_on(std::uint16_t port);  // false when it exited early (port taken)

    std::string password_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace nra::test
