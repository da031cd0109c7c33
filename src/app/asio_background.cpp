#include "app/asio_background.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "log/log.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

// Lives as long as the step or a waiter needs it. Everything runs on one executor (the I/O
// thread), so `ended` needs no lock.
class AsioStartedStep final : public StartedStep {
public:
    explicit AsioStartedStep(const asio::any_io_executor& executor)
        : signal_(executor, asio::steady_timer::time_point::max()) {}

    asio::awaitable<bool> wait(std::chrono::milliseconds up_to) override {
        if (ended_) co_return true;
        // A day stands for "until it ends": steady_clock::now() + max() would overflow.
        const auto limit = std::min(up_to, std::chrono::milliseconds(std::chrono::hours(24)));
        signal_.expires_after(limit);
        boost::system::error_code ec;
        co_await signal_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_return ended_;
    }

    void end() {
        ended_ = true;
        signal_.cancel();
    }

private:
    asio::steady_timer signal_;
    bool ended_ = false;
};

struct MarkEnded {
    std::shared_ptr<AsioStartedStep> running;
    void operator()(const std::exception_ptr& failure) const {
        if (failure) {
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                log::error("a background step failed: {}", e.what());
            } catch (...) {
                log::error("a background step failed");
            }
        }
        running->end();
    }
};

}  // namespace

asio::awaitable<std::shared_ptr<StartedStep>> start_in_background(Step step) {
    const auto executor = co_await asio::this_coro::executor;
    auto running = std::make_shared<AsioStartedStep>(executor);
    asio::co_spawn(executor, std::move(step), MarkEnded{running});
    co_return running;
}

}  // namespace nra
