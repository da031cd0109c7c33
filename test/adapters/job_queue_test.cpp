// The job queue at a shutdown deadline: what runs is cancelled, what waits is dropped, and each
// job's farewell runs once; jobs that finish in time say nothing.
#include "slack/job_queue.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/run_async.hpp"

namespace job_queue_test {

namespace asio = boost::asio;
using nra::slack::JobQueue;
using nra::slack::QueuedJob;
using nra::test::run_blocking;

namespace {

// A job that waits forever (New Relic hanging) unless cancelled; counts how it ended.
asio::awaitable<void> hang(int* cancelled) {
    asio::steady_timer forever(
        co_await asio::this_coro::executor, asio::steady_timer::time_point::max()
    );
    try {
        co_await forever.async_wait(asio::use_awaitable);
    } catch (const boost::system::system_error&) {
        ++*cancelled;
        throw;
    }
}

asio::awaitable<void> note(std::vector<std::string>* said, std::string who) {
    said->push_back(std::move(who));
    co_return;
}

QueuedJob hanging(int* cancelled) {
    return [cancelled] { return hang(cancelled); };
}

QueuedJob saying(std::vector<std::string>* said, std::string who) {
    return [said, who] { return note(said, who); };
}

}  // namespace

TEST_CASE("at the drain deadline running jobs are cancelled, waiting ones dropped, all told") {
    asio::io_context ioc;
    JobQueue jobs(ioc.get_executor(), 2, 5);
    int cancelled = 0;
    std::vector<std::string> said;
    REQUIRE(jobs.try_push(hanging(&cancelled), saying(&said, "a")));
    REQUIRE(jobs.try_push(hanging(&cancelled), saying(&said, "b")));
    REQUIRE(jobs.try_push(hanging(&cancelled), saying(&said, "c")));         // waits
    REQUIRE(jobs.try_push(saying(&said, "job d ran"), saying(&said, "d")));  // waits
    CHECK(jobs.running() == 2);
    CHECK(jobs.queued() == 2);
    run_blocking(ioc, jobs.drained(std::chrono::milliseconds{5}));
    ioc.run();  // the cancelled jobs unwind
    std::sort(said.begin(), said.end());
    CHECK(said == std::vector<std::string>{"a", "b", "c", "d"});
    CHECK(cancelled == 2);
    CHECK(jobs.abandoned() == 4);
    CHECK(jobs.running() == 0);
    CHECK(jobs.failed() == 0);  // a cancellation at shutdown is not a failure
    CHECK_FALSE(jobs.try_push(saying(&said, "late"), {}));  // nothing starts after the deadline
}

TEST_CASE("jobs that end before the deadline are not told anything") {
    asio::io_context ioc;
    JobQueue jobs(ioc.get_executor(), 1, 5);
    std::vector<std::string> said;
    REQUIRE(jobs.try_push(saying(&said, "ran"), saying(&said, "farewell")));
    ioc.run();
    ioc.restart();
    run_blocking(ioc, jobs.drained(std::chrono::seconds{30}));
    CHECK(said == std::vector<std::string>{"ran"});
    CHECK(jobs.abandoned() == 0);
}

}  // namespace job_queue_test
