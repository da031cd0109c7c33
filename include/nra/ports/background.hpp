// Background port: starts a step beside the caller at once and lets the caller wait for its end,
// at most for a while (the analysis posts its summary while logs and blast radius are still on
// their way). Implemented over Asio (src/app/background.cpp). Empty: the step runs inline, to its
// end, before start_step returns.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>

#include "nra/ports/patience.hpp"

namespace nra {

class StartedStep {
public:
    virtual ~StartedStep() = default;
    // True when the step has ended (now or within `up_to`). Waits of one caller at a time.
    virtual boost::asio::awaitable<bool> wait(std::chrono::milliseconds up_to) = 0;
};

using Background = std::function<boost::asio::awaitable<std::shared_ptr<StartedStep>>(Step)>;

// A step that has already ended.
class Ended final : public StartedStep {
public:
    boost::asio::awaitable<bool> wait(std::chrono::milliseconds /*up_to*/) override {
        co_return true;
    }
};

// Starts `step` through `background`, or runs it inline when there is none.
inline boost::asio::awaitable<std::shared_ptr<StartedStep>> start_step(
    const Background& background, Step step
) {
    if (!background) {
        co_await step();
        co_return std::make_shared<Ended>();
    }
    co_return co_await background(std::move(step));
}

}  // namespace nra
