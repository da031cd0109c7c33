#include "slack/job_queue.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include "log/log.hpp"
#include "log/request_executor.hpp"
#include "obs/metrics.hpp"

namespace nra::slack {

namespace asio = boost::asio;

struct JobQueue::State {
    State(asio::any_io_executor ex, std::size_t running_cap, std::size_t queued_cap)
        : executor(std::move(ex)),
          max_running(running_cap),
          max_queued(queued_cap),
          idle(executor),
          farewells_done(executor) {}
    asio::any_io_executor executor;
    std::size_t max_running;
    std::size_t max_queued;
    struct Waiting {
        QueuedJob job;
        QueuedJob farewell;
        std::string request_id;  // of the request that queued it: its lines carry that id
    };
    struct Running {
        asio::cancellation_signal cancel;
        QueuedJob farewell;
        std::string request_id;
    };
    std::deque<Waiting> waiting;
    std::map<std::uint64_t, std::unique_ptr<Running>> active;
    std::uint64_t next_id = 0;
    std::size_t running = 0;
    std::size_t completed = 0;
    std::size_t failed = 0;
    std::size_t abandoned = 0;
    bool stopping = false;  // past the shutdown deadline: nothing new starts
    std::size_t farewells_left = 0;
    asio::steady_timer idle;            // cancelled whenever the queue becomes empty
    asio::steady_timer farewells_done;  // cancelled when the last farewell ended
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
    std::uint64_t id;
    void operator()(const std::exception_ptr& error) const {
        state->active.erase(id);
        --state->running;
        ++state->completed;
        if (error && !state->stopping) {
            ++state->failed;
            obs::registry().count("nra_jobs_failed_total", "Jobs that ended with an exception", {});
            log::failure("a job failed", error);
        }
        start_next(state);
        if (state->running == 0 && state->waiting.empty()) state->idle.cancel();
    }
};

void start_next(const std::shared_ptr<JobQueue::State>& state) {
    while (!state->stopping && state->running < state->max_running && !state->waiting.empty()) {
        auto next = std::move(state->waiting.front());
        state->waiting.pop_front();
        ++state->running;
        const auto id = state->next_id++;
        auto& running = state->active[id];
        running = std::make_unique<JobQueue::State::Running>();
        running->farewell = std::move(next.farewell);
        running->request_id = next.request_id;
        auto executor = log::with_request_id(state->executor, std::move(next.request_id));
        asio::co_spawn(
            executor,
            run_job(std::move(next.job)),
            asio::bind_cancellation_slot(running->cancel.slot(), JobDone{state, id})
        );
    }
}

asio::awaitable<void> say_farewell(QueuedJob farewell) {
    log::warn("job cancelled by a shutdown before it finished; telling its user to ask again");
    if (farewell) co_await farewell();
}

struct FarewellDone {
    std::shared_ptr<JobQueue::State> state;
    void operator()(const std::exception_ptr& error) const {
        if (error) log::failure("a shutdown notice could not be sent", error);
        if (--state->farewells_left == 0) state->farewells_done.cancel();
    }
};

// Past the deadline: drops what waits, cancels what runs, and starts every farewell.
void abandon_all(const std::shared_ptr<JobQueue::State>& state) {
    state->stopping = true;
    std::vector<std::pair<QueuedJob, std::string>> farewells;
    for (auto& w : state->waiting) farewells.emplace_back(std::move(w.farewell), w.request_id);
    state->waiting.clear();
    for (auto& [id, running] : state->active) {
        farewells.emplace_back(std::move(running->farewell), running->request_id);
        running->cancel.emit(asio::cancellation_type::terminal);
    }
    state->abandoned += farewells.size();
    state->farewells_left = farewells.size();
    for (auto& [farewell, request_id] : farewells) {
        auto executor = log::with_request_id(state->executor, request_id);
        asio::co_spawn(executor, say_farewell(std::move(farewell)), FarewellDone{state});
    }
}

}  // namespace

JobQueue::JobQueue(asio::any_io_executor executor, std::size_t max_running, std::size_t max_queued)
    : state_(std::make_shared<State>(std::move(executor), max_running, max_queued)) {}

JobQueue::~JobQueue() = default;

bool JobQueue::try_push(QueuedJob job, QueuedJob farewell) {
    if (state_->stopping ||
        (state_->running >= state_->max_running && state_->waiting.size() >= state_->max_queued)) {
        return false;
    }
    state_->waiting.push_back({std::move(job), std::move(farewell), log::current_request_id()});
    start_next(state_);
    return true;
}

asio::awaitable<void> JobQueue::drained(
    std::chrono::milliseconds deadline, std::chrono::milliseconds farewell_deadline
) {
    auto state = state_;
    if (state->running == 0 && state->waiting.empty()) co_return;
    state->idle.expires_after(deadline);
    boost::system::error_code ec;
    co_await state->idle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (state->running == 0 && state->waiting.empty()) co_return;
    log::warn(
        "shutdown deadline: {} job(s) running and {} waiting are cancelled",
        state->running,
        state->waiting.size()
    );
    abandon_all(state);
    if (state->farewells_left == 0) co_return;
    state->farewells_done.expires_after(farewell_deadline);
    co_await state->farewells_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
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
std::size_t JobQueue::abandoned() const {
    return state_->abandoned;
}

}  // namespace nra::slack
