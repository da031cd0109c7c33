#include "support/loopback_loop.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <iostream>
#include <utility>

namespace nra::test::detail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kStopGrace = std::chrono::seconds(10);

}  // namespace

void LogErrors::operator()(const std::exception_ptr& error) const {
    if (!error) {
        return;
    }
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        std::cerr << "fake server " << what << ": " << e.what() << '\n';
    } catch (...) {
        std::cerr << "fake server " << what << ": unknown exception\n";
    }
}

LoopbackLoop::Registration::Registration(LoopbackLoop& loop, Socket& socket)
    : loop_(loop), id_(++loop.next_id_) {
    loop.open_.emplace(id_, &socket);
    if (loop.stopping_) {
        error_code ignored;
        socket.close(ignored);
    }
}

LoopbackLoop::LoopbackLoop()
    : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0)),
      port_(acceptor_.local_endpoint().port()),
      finished_(done_.get_future()) {}

void LoopbackLoop::start(asio::awaitable<void> accept_loop) {
    asio::co_spawn(ioc_, std::move(accept_loop), LogErrors{"accept"});
    thread_ = std::thread([this] { run(); });
}

void LoopbackLoop::stop() noexcept {
    if (!thread_.joinable()) {
        return;
    }
    try {
        asio::post(ioc_, [this] { close_all(); });
        if (finished_.wait_for(kStopGrace) != std::future_status::ready) {
            std::cerr << "fake server: coroutines still running after stop, forcing\n";
            ioc_.stop();
        }
    } catch (const std::exception& e) {
        std::cerr << "fake server: stop failed, forcing: " << e.what() << '\n';
        ioc_.stop();
    }
    thread_.join();
}

void LoopbackLoop::run() {
    try {
        ioc_.run();
    } catch (const std::exception& e) {
        std::cerr << "fake server loop: " << e.what() << '\n';
    }
    done_.set_value();
}

void LoopbackLoop::close_all() {
    stopping_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    for (const auto& [id, socket] : open_) {
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
    }
}

}  // namespace nra::test::detail
