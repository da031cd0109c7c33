// Internal to the fakes: one io_context on its own thread with a listener on 127.0.0.1:0, which
// knows every socket its coroutines own so stop() can close them all and never wait on a peer.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <exception>
#include <future>
#include <map>
#include <thread>

namespace nra::test::detail {

// Logs what escaped a coroutine: the fakes must not hide their own bugs, nor crash the test.
struct LogErrors {
    const char* what;
    void operator()(const std::exception_ptr& error) const;
};

class LoopbackLoop {
public:
    using Socket = boost::asio::ip::tcp::socket;

    // Lists a coroutine's socket for the lifetime of the coroutine frame (server thread only).
    class Registration {
    public:
        Registration(LoopbackLoop& loop, Socket& socket);
        ~Registration() { loop_.open_.erase(id_); }
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

    private:
        LoopbackLoop& loop_;
        std::size_t id_;
    };

    LoopbackLoop();
    ~LoopbackLoop() { stop(); }
    LoopbackLoop(const LoopbackLoop&) = delete;
    LoopbackLoop& operator=(const LoopbackLoop&) = delete;

    void start(boost::asio::awaitable<void> accept_loop);
    // Closes everything on the server thread so each coroutine ends on its own; the hard
    // stop is only a backstop against a bug in a fake, so a destructor can never hang.
    void stop() noexcept;

    boost::asio::io_context& context() { return ioc_; }
    boost::asio::ip::tcp::acceptor& acceptor() { return acceptor_; }
    bool stopping() const { return stopping_; }
    unsigned short port() const { return port_; }
    std::size_t count_accept() { return ++accepted_; }
    std::size_t accepted() const { return accepted_.load(); }

private:
    void run();
    void close_all();

    // Only touched on the server thread.
    std::map<std::size_t, Socket*> open_;
    std::size_t next_id_ = 0;
    bool stopping_ = false;

    boost::asio::io_context ioc_{1};
    boost::asio::ip::tcp::acceptor acceptor_;
    const unsigned short port_;
    std::atomic<std::size_t> accepted_{0};
    std::promise<void> done_;
    std::future<void> finished_;
    std::thread thread_;
};

}  // namespace nra::test::detail
