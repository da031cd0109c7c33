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

    boost::asio::awaitable<TypicalResult> typical(TypicalQuery query) override {
        typical_queries.push_back(query);
        co_await pause();
        co_return typical_answer;
    }
    boost::asio::awaitable<ChangeResult> changes(ChangeQuery query) override {
        change_queries.push_back(query);
        co_await pause();
        co_return change_answer;
    }

    // Found with nothing, unless a test says otherwise: older tests see no comparison.
    TypicalResult typical_answer{FetchStatus::found, {}, {}};
    ChangeResult change_answer{FetchStatus::found, {}, {}, false};
    std::vector<TypicalQuery> typical_queries;
    std::vector<ChangeQuery> change_queries;
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
