// A scripted ContextSource: the answers the test sets, the queries it received, and an optional
// delay (a timer on the caller's executor) so a test can make the extras arrive after the
// summary was posted.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <vector>

#include "nra/ports/context_source.hpp"

namespace nra::test {

class FakeContextSource final : public ContextSource {
public:
    boost::asio::awaitable<LogResult> logs(LogQuery query) override {
        log_queries.push_back(query);
        co_await pause();
        co_return log_answer;
    }
    boost::asio::awaitable<BlastResult> blast_radius(BlastQuery query) override {
        blast_queries.push_back(query);
        co_await pause();
        co_return blast_answer;
    }

    LogResult log_answer;
    BlastResult blast_answer;
    std::chrono::milliseconds delay{0};
    std::vector<LogQuery> log_queries;
    std::vector<BlastQuery> blast_queries;

private:
    boost::asio::awaitable<void> pause() {
        if (delay.count() == 0) co_return;
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
};

}  // namespace nra::test
