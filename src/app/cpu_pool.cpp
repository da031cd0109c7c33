#include "app/cpu_pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <string>

#include "log/log.hpp"

namespace nra {
namespace {

namespace asio = boost::asio;

// The pool thread logs with the caller's request id (scope ends before the coroutine does).
asio::awaitable<void> run_work(std::function<void()> work, std::string request_id) {
    {
        const log::RequestScope scope(std::move(request_id));
        work();
    }
    co_return;
}

// Named function (no capturing coroutine lambdas); the work's exception reaches the caller.
asio::awaitable<void> run_on(asio::thread_pool::executor_type pool, std::function<void()> work) {
    auto task = run_work(std::move(work), log::current_request_id());
    co_await asio::co_spawn(pool, std::move(task), asio::use_awaitable);
}

}  // namespace

CpuPool::CpuPool(std::size_t threads) : pool_(threads) {}

CpuPool::~CpuPool() {
    pool_.join();
}

Offload CpuPool::offload() {
    return [executor = pool_.get_executor()](std::function<void()> work) {
        return run_on(executor, std::move(work));
    };
}

}  // namespace nra
