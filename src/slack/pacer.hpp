// Per-channel pacing of Slack posts for the Web API client (web_client.cpp only): FIFO turns per
// key and a token bucket (burst, then one per interval). Single-threaded: the I/O thread owns it.
#pragma once

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>

namespace nra::slack::detail {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kPruneAbove = 64;  // idle channel lanes kept before pruning

// FIFO turns and spacing per key (a channel or a response_url). Single-threaded: every call
// runs on the one I/O thread, so plain members need no lock.
class Pacer {
public:
    Pacer(milliseconds interval, std::size_t burst)
        : interval_(interval), burst_(static_cast<double>(std::max<std::size_t>(1, burst))) {}

    // Waits until every earlier caller with this key has left.
    asio::awaitable<void> enter(std::string key) {
        prune();
        Lane& lane = lanes_[key];
        if (!lane.busy) {
            lane.busy = true;
            co_return;
        }
        auto ticket = std::make_shared<asio::steady_timer>(
            co_await asio::this_coro::executor, Clock::time_point::max()
        );
        lane.waiting.push_back(ticket);
        boost::system::error_code ec;  // operation_aborted: leave() handed us the turn
        co_await ticket->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }

    // Inside a turn: takes a token from the key's bucket (`burst` tokens, one more per
    // interval), waiting for one when the bucket is empty. Slack allows ~1 message per second
    // per channel with short bursts: a summary and its thread detail go out together.
    asio::awaitable<void> space(std::string key) {
        Lane& lane = lanes_[key];
        refill(lane);
        if (lane.tokens < 1.0 && interval_.count() > 0) {
            const auto wait = std::chrono::duration_cast<Clock::duration>(
                std::chrono::duration<double, std::milli>(
                    (1.0 - lane.tokens) * static_cast<double>(interval_.count())
                )
            );
            const auto executor = co_await asio::this_coro::executor;
            asio::steady_timer timer(executor, wait);
            co_await timer.async_wait(asio::use_awaitable);
            refill(lanes_[key]);
        }
        Lane& after = lanes_[key];
        after.tokens = std::max(0.0, after.tokens - 1.0);
    }

    void leave(const std::string& key) {
        Lane& lane = lanes_[key];
        if (lane.waiting.empty()) {
            lane.busy = false;
            return;
        }
        auto ticket = std::move(lane.waiting.front());
        lane.waiting.pop_front();
        ticket->cancel();  // the lane stays busy: the turn passes straight to the next caller
    }

private:
    struct Lane {
        bool busy = false;
        double tokens = -1;  // < 0: new lane, filled on first use
        Clock::time_point refilled{};
        std::deque<std::shared_ptr<asio::steady_timer>> waiting;
    };

    void refill(Lane& lane) const {
        const auto now = Clock::now();
        if (lane.tokens < 0 || interval_.count() <= 0) {
            lane.tokens = burst_;
        } else {
            const std::chrono::duration<double, std::milli> elapsed = now - lane.refilled;
            lane.tokens = std::min(
                burst_, lane.tokens + elapsed.count() / static_cast<double>(interval_.count())
            );
        }
        lane.refilled = now;
    }

    void prune() {
        if (lanes_.size() <= kPruneAbove) return;
        const auto now = Clock::now();
        const auto full = interval_ * static_cast<long>(burst_);
        std::erase_if(lanes_, [now, full](const auto& kv) {
            return !kv.second.busy && now - kv.second.refilled >= full;
        });
    }

    milliseconds interval_;
    double burst_;
    std::map<std::string, Lane> lanes_;
};

// Leaves the turn however the call ends.
class Turn {
public:
    Turn(Pacer& pacer, std::string key) : pacer_(pacer), key_(std::move(key)) {}
    ~Turn() { pacer_.leave(key_); }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

private:
    Pacer& pacer_;
    std::string key_;
};

}  // namespace nra::slack::detail
