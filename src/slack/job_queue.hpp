// Bounded work after the ack: at most `max_running` jobs at once and `max_queued` waiting; when
// both are full, try_push refuses (the caller tells the user "busy"). Jobs run as coroutines on
// the I/O executor; an exception in one is logged and never reaches the others. Single-threaded.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>

namespace nra::slack {

using QueuedJob = std::function<boost::asio::awaitable<void>()>;

class JobQueue {
public:
    JobQueue(
        boost::asio::any_io_executor executor, std::size_t max_running, std::size_t max_queued
    );
    ~JobQueue();
    JobQueue(const JobQueue&) = delete;
    JobQueue& operator=(const JobQueue&) = delete;

    // The job runs with the caller's log::current_request_id(), on every resumption.
    bool try_push(QueuedJob job);

    // Completes when nothing runs or waits, or at the deadline (jobs still running keep going
    // until the io_context stops).
    boost::asio::awaitable<void> drained(std::chrono::milliseconds deadline);

    std::size_t running() const;
    std::size_t queued() const;
    std::size_t completed() const;
    std::size_t failed() const;  // jobs that threw

    struct State;  // shared with the running jobs' completion handlers (job_queue.cpp)

private:
    std::shared_ptr<State> state_;
};

}  // namespace nra::slack
