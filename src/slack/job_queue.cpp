#include "slack/job_queue.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <string>

#include "log/log.hpp"
#include "log/request_executor.hpp"

namespace nra::slack {

namespace asio = boost::asio;

struct JobQueue::State {
    State(asio::any_io_executor ex, std::size_t running_cap, std::size_t queued_cap)
        : executor(std::move(ex)),
          max_running(running_cap),
          max_queued(queued_cap),
          idle(executor) {}
    asio::any_io_executor executor;
    std::size_t max_running;
    std::size_t max_queued;
    struct Waiting {
        QueuedJob job;
        std::string request_id;  // of the request that queued it: its lines carry that id
    };
    std::deque<Waiting> waiting;
    std::size_t running = 0;
    std::size_t completed = 0;
    std::size_t failed = 0;
    asio::steady_timer idle;  // cancelled whenever the queue becomes empty
};

namespace {

void start_next(const std::shared_ptr<JobQueue::State>& state);

asio::awaitable<void> run_job(QueuedJob job) {
    const auto start = std::chrono::steady_clock::now();
    co_await job();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start
    );
    log::info("job done in {} ms", took.count());
}

// Completion of one job: count it, log what it threw, start the next one.
struct JobDone {
    std::shared_ptr<JobQueue::State> state;
    void operator()(const std::exception_ptr& error) const {
        --state->running;
        ++state->completed;
        if (error) {
            ++state->failed;
            log::failure("a job failed", error);
        }
        start_next(state);
        if (state->running == 0 && state->waiting.empty()) state->idle.cancel();
    }
};

void start_next(const std::shared_ptr<JobQueue::State>& state) {
    while (state->running < state->max_running && !state->waiting.empty()) {
        auto next = std::move(state->waiting.front());
        state->waiting.pop_front();
        ++state->running;
        auto executor = log::with_request_id(state->executor, std::move(next.request_id));
        asio::co_spawn(executor, run_job(std::move(next.job)), JobDone{state});
    }
}

}  // namespace

JobQueue::JobQueue(asio::any_io_executor executor, std::size_t max_running, std::size_t max_queued)
    : state_(std::make_shared<State>(std::move(executor), max_running, max_queued)) {}

JobQueue::~JobQueue() = default;

bool JobQueue::try_push(QueuedJob job) {
    if (state_->running >= state_->max_running && state_->waiting.size() >= state_->max_queued) {
        return false;
    }
    state_->waiting.push_back({std::move(job), log::current_request_id()});
    start_next(state_);
    return true;
}

asio::awaitable<void> JobQueue::drained(std::chrono::milliseconds deadline) {
    auto state = state_;
    if (state->running == 0 && state->waiting.empty()) co_return;
    state->idle.expires_after(deadline);
    boost::system::error_code ec;
    co_await state->idle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

std::size_t JobQueue::running() const {
    return state_->running;
}
std::size_t JobQueue::queued() const {
    return state_->waiting.size();
}
std::size_t JobQueue::completed() const {
    return state_->completed;
}
std::size_t JobQueue::failed() const {
    return state_->failed;
}

}  // namespace nra::slack
