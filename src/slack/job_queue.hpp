// Bounded work after the ack: at most `max_running` jobs at once and `max_queued` waiting; when
// both are full, try_push refuses (the caller tells the user "busy"). Jobs run as coroutines on
// the I/O executor; an exception in one is logged and never reaches the others. At a shutdown
// deadline unfinished jobs are cancelled and their users told. Single-threaded.
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
    // `farewell` (may be empty) tells its user when shutdown cancels the job before it ends.
    bool try_push(QueuedJob job, QueuedJob farewell = {});

    // Completes when nothing runs or waits, or at the deadline. Then (graceful shutdown) what
    // still waits is dropped and what still runs is cancelled; each such job's farewell runs,
    // logged per job, and the call returns once they are done or `farewell_deadline` passed.
    boost::asio::awaitable<void> drained(
        std::chrono::milliseconds deadline,
        std::chrono::milliseconds farewell_deadline = std::chrono::seconds(5)
    );

    std::size_t running() const;
    std::size_t queued() const;
    std::size_t completed() const;
    std::size_t failed() const;     // jobs that threw
    std::size_t abandoned() const;  // jobs dropped or cancelled at a shutdown deadline

    struct State;  // shared with the running jobs' completion handlers (job_queue.cpp)

private:
    std::shared_ptr<State> state_;
};

}  // namespace nra::slack
