// Offload port: runs CPU-heavy work (reading and assembling big traces, analysis, rendering) off
// the I/O thread and resumes the caller when it is done, so acks never wait behind a big trace.
// Empty: run inline (tests, the CLI).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>

namespace nra {

using Offload = std::function<boost::asio::awaitable<void>(std::function<void()>)>;

// Runs `work` through `offload`, or inline when there is none.
inline boost::asio::awaitable<void> run_offloaded(Offload offload, std::function<void()> work) {
    if (!offload) {
        work();
        co_return;
    }
    co_await offload(std::move(work));
}

}  // namespace nra
