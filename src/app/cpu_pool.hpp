// A small thread pool for CPU-heavy work (trace analysis and rendering), so the I/O thread keeps
// acking Slack within milliseconds while big traces are analysed.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstddef>

#include "handler.hpp"

namespace nra {

class CpuPool {
public:
    explicit CpuPool(std::size_t threads);
    ~CpuPool();  // waits for running work
    CpuPool(const CpuPool&) = delete;
    CpuPool& operator=(const CpuPool&) = delete;

    // An Offload that runs work on this pool and resumes the caller on its own executor.
    Offload offload();

private:
    boost::asio::thread_pool pool_;
};

}  // namespace nra
