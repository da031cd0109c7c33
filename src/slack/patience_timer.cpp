#include "slack/patience_timer.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace nra::slack {
namespace {

namespace asio = boost::asio;

// The timer of one step; `finished` also covers a step that ends before the timer's wait has
// even started (cancel() reaches only waits already pending).
struct Race {
    Race(const asio::any_io_executor& executor, std::chrono::milliseconds after)
        : timer(executor, after) {}
    asio::steady_timer timer;
    bool finished = false;
};

asio::awaitable<void> step_then_stop(Step step, std::shared_ptr<Race> race) {
    co_await step();
    race->finished = true;
    race->timer.cancel();
}

asio::awaitable<void> notice_if_slow(Step notice, std::shared_ptr<Race> race) {
    if (race->finished) co_return;
    boost::system::error_code ec;
    co_await race->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && !race->finished) co_await notice();
}

}  // namespace

asio::awaitable<void> run_patiently(Step step, std::chrono::milliseconds after, Step notice) {
    if (!notice || after <= std::chrono::milliseconds::zero()) {
        co_await step();
        co_return;
    }
    auto race = std::make_shared<Race>(co_await asio::this_coro::executor, after);
    using asio::experimental::awaitable_operators::operator&&;
    auto both = step_then_stop(std::move(step), race) && notice_if_slow(std::move(notice), race);
    co_await std::move(both);
}

}  // namespace nra::slack
