// The request id travels with the work: RequestScope nesting, the id-carrying executor under
// interleaving coroutines, the job queue (queued jobs keep their own request's id) and the CPU
// pool (the pool thread logs with the caller's id).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "app/cpu_pool.hpp"
#include "log/log.hpp"
#include "log/request_executor.hpp"
#include "slack/job_queue.hpp"

namespace request_id_test {

namespace asio = boost::asio;
namespace nlog = nra::log;
using namespace std::chrono_literals;

namespace {

struct Line {
    std::string id;  // nlog::current_request_id() when the line was written
    std::string message;
};

// Records every line with the request id current at the time it was logged.
class IdCapture {
public:
    IdCapture() {
        nlog::set_sink([this](nlog::Level, std::string_view message) {
            const std::lock_guard lock(mutex_);
            lines_.push_back({nlog::current_request_id(), std::string(message)});
        });
        nlog::set_level(nlog::Level::debug);
    }
    ~IdCapture() {
        nlog::set_sink(nullptr);
        nlog::set_level(nlog::Level::warn);
    }
    IdCapture(const IdCapture&) = delete;
    IdCapture& operator=(const IdCapture&) = delete;

    std::vector<Line> lines() const {
        const std::lock_guard lock(mutex_);
        return lines_;
    }
    // The id of the only line starting with `prefix`; "<missing>" or "<several>" otherwise.
    std::string id_of(const std::string& prefix) const {
        std::string found = "<missing>";
        for (const auto& line : lines()) {
            if (line.message.rfind(prefix, 0) != 0) continue;
            found = found == "<missing>" ? line.id : "<several>";
        }
        return found;
    }

private:
    mutable std::mutex mutex_;
    std::vector<Line> lines_;
};

struct Rethrow {
    void operator()(const std::exception_ptr& e) const {
        if (e) std::rethrow_exception(e);
    }
};

asio::awaitable<void> plain_work(std::string name) {
    nlog::info("{} plain", name);
    co_return;
}

asio::awaitable<void> inner_step(std::string name, int i) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(1ms);
    co_await timer.async_wait(asio::use_awaitable);
    nlog::info("{} inner {}", name, i);
}

// Logs around every kind of suspension: a timer, a post, an awaited coroutine on the same
// executor, and one spawned on another executor.
asio::awaitable<void> worker(std::string name, int steps, asio::any_io_executor plain) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    for (int i = 0; i < steps; ++i) {
        nlog::info("{} step {}", name, i);
        timer.expires_after(0ms);
        co_await timer.async_wait(asio::use_awaitable);
        nlog::info("{} after timer {}", name, i);
        co_await asio::post(executor, asio::use_awaitable);
        nlog::info("{} after post {}", name, i);
        co_await inner_step(name, i);
        auto elsewhere = asio::co_spawn(plain, plain_work(name), asio::use_awaitable);
        co_await std::move(elsewhere);
        nlog::info("{} after elsewhere {}", name, i);
    }
}

asio::awaitable<void> job_body(std::string name) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(1ms);
    co_await timer.async_wait(asio::use_awaitable);
    nlog::info("{} ran", name);
}

asio::awaitable<void> offloaded(nra::Offload offload, std::string* seen) {
    std::function<void()> work = [seen] { *seen = nlog::current_request_id(); };
    auto task = offload(std::move(work));
    co_await std::move(task);
    nlog::info("back from the pool");
}

}  // namespace

TEST_CASE("request scopes nest and restore the previous id") {
    CHECK(nlog::current_request_id().empty());
    {
        const nlog::RequestScope outer("outer");
        CHECK(nlog::current_request_id() == "outer");
        {
            const nlog::RequestScope inner("inner");
            CHECK(nlog::current_request_id() == "inner");
        }
        CHECK(nlog::current_request_id() == "outer");
    }
    CHECK(nlog::current_request_id().empty());
}

TEST_CASE("new ids are 16 hex digits, and only sane incoming ids are kept") {
    const auto a = nlog::new_request_id();
    const auto b = nlog::new_request_id();
    CHECK(a.size() == 16);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != b);
    CHECK(nlog::request_id_or_new("proxy-1.req_2") == "proxy-1.req_2");
    CHECK(nlog::request_id_or_new(std::string(64, 'a')) == std::string(64, 'a'));
    CHECK(nlog::request_id_or_new(std::string(65, 'a')).size() == 16);
    CHECK(nlog::request_id_or_new("evil\nline").size() == 16);
    CHECK(nlog::request_id_or_new("a\"b").size() == 16);
    CHECK(nlog::request_id_or_new("").size() == 16);
}

TEST_CASE("interleaving coroutines on one thread each log their own request id") {
    IdCapture capture;
    asio::io_context ioc;
    constexpr int steps = 4;
    auto a = nlog::with_request_id(ioc.get_executor(), "req-A");
    auto b = nlog::with_request_id(ioc.get_executor(), "req-B");
    asio::co_spawn(a, worker("A", steps, ioc.get_executor()), Rethrow{});
    asio::co_spawn(b, worker("B", steps, ioc.get_executor()), Rethrow{});
    ioc.run();
    CHECK(nlog::current_request_id().empty());  // nothing leaks onto the thread

    const auto lines = capture.lines();
    std::size_t checked = 0;
    std::size_t switches = 0;
    std::string previous;
    for (const auto& line : lines) {
        INFO(line.message);
        if (line.message.find("plain") != std::string::npos) continue;  // not spawned on a or b
        CHECK(line.id == (line.message[0] == 'A' ? "req-A" : "req-B"));
        if (!previous.empty() && previous != line.id) ++switches;
        previous = line.id;
        ++checked;
    }
    CHECK(checked == std::size_t{2 * steps * 5});
    CHECK(switches >= std::size_t{2 * steps});  // they really took turns
}

TEST_CASE("wrapping a wrapped executor replaces its id, an empty id adds none") {
    IdCapture capture;
    asio::io_context ioc;
    auto outer = nlog::with_request_id(ioc.get_executor(), "outer");
    auto inner = nlog::with_request_id(outer, "inner");
    const asio::any_io_executor plain = ioc.get_executor();
    CHECK(inner.target<nlog::RequestExecutor>()->inner() == plain);
    CHECK(nlog::with_request_id(plain, "") == plain);
    asio::co_spawn(inner, job_body("rewrapped"), Rethrow{});
    ioc.run();
    CHECK(capture.id_of("rewrapped ran") == "inner");
}

TEST_CASE("queued jobs run with the id of the request that queued them") {
    IdCapture capture;
    asio::io_context ioc;
    nra::slack::JobQueue jobs(ioc.get_executor(), 1, 5);  // one at a time: "second" waits
    {
        const nlog::RequestScope scope("r1");
        CHECK(jobs.try_push([] { return job_body("first"); }));
    }
    {
        const nlog::RequestScope scope("r2");
        CHECK(jobs.try_push([] { return job_body("second"); }));
    }
    CHECK(jobs.queued() == 1);
    ioc.run();
    CHECK(jobs.completed() == 2);
    CHECK(capture.id_of("first ran") == "r1");
    CHECK(capture.id_of("second ran") == "r2");  // started by the first job's completion
    std::vector<std::string> done;
    for (const auto& line : capture.lines()) {
        if (line.message.rfind("job done in ", 0) == 0) done.push_back(line.id);
    }
    CHECK(done == std::vector<std::string>{"r1", "r2"});
}

TEST_CASE("work offloaded to the CPU pool logs with the caller's id") {
    IdCapture capture;
    asio::io_context ioc;
    nra::CpuPool pool(1);
    std::string seen = "unset";
    asio::co_spawn(
        nlog::with_request_id(ioc.get_executor(), "req-cpu"),
        offloaded(pool.offload(), &seen),
        Rethrow{}
    );
    ioc.run();
    CHECK(seen == "req-cpu");
    CHECK(capture.id_of("back from the pool") == "req-cpu");

    // The pool thread does not keep the id for the next caller, which has none.
    ioc.restart();
    seen = "unset";
    asio::co_spawn(ioc.get_executor(), offloaded(pool.offload(), &seen), Rethrow{});
    ioc.run();
    CHECK(seen.empty());
}

}  // namespace request_id_test
