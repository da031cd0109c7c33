// SpanBudget: how many spans the process holds in memory at once, across every trace being
// fetched or analysed (~2.5 KB per span at the peak of reading and assembling). A fetch reserves
// its span count as soon as New Relic has counted them, before any page is read; the Lease it gets
// travels with the FetchResult and gives the spans back when the result is destroyed, after the
// tree. A fetch that would exceed the budget waits, first come first served; a trace larger than
// the whole budget is refused at once. When a big lease is given back, free memory is returned to
// the system (glibc keeps freed pages of its arenas otherwise). Thread-safe: leases may end on the
// CPU pool; waiters wake on their own executor.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

#include "nra/result.hpp"

namespace nra::newrelic {

class SpanBudget {
public:
    // Leases of at least this many spans return freed memory to the system when given back.
    static constexpr std::size_t kTrimSpans = 20'000;

    SpanBudget(std::size_t limit, std::chrono::milliseconds max_wait);
    SpanBudget(const SpanBudget&) = delete;
    SpanBudget& operator=(const SpanBudget&) = delete;
    ~SpanBudget();

    // The spans one fetch holds; given back when destroyed. Not copyable nor movable: shared
    // through a shared_ptr by the results of one fetch (a first answer and its re-queries).
    class Lease {
    public:
        explicit Lease(SpanBudget& budget) : budget_(budget) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();
        std::size_t spans() const;

    private:
        friend class SpanBudget;
        SpanBudget& budget_;
        std::size_t spans_ = 0;  // guarded by budget_.mutex_
    };

    // Makes `lease` hold at least `spans`. An empty lease waits (first come, first served) until
    // they fit beside the spans in flight; a lease that holds spans already grows at once, so a
    // fetch never waits for itself and a waiter holds nothing (no deadlock). Errors, in words for
    // the user: more spans than the whole budget, or no room within max_wait. A cancelled wait
    // (shutdown) throws operation_aborted like every other awaited operation.
    boost::asio::awaitable<Result<std::size_t>> reserve(Lease& lease, std::size_t spans);

    // Makes `lease` hold at least `spans` without waiting: for spans already in memory (a first
    // page). Fails only when `spans` exceed the whole budget.
    Result<std::size_t> take(Lease& lease, std::size_t spans);

    std::size_t limit() const { return limit_; }
    std::size_t in_flight() const;
    std::size_t waiting() const;

private:
    struct Waiter;
    struct Queued;

    Error too_large(std::size_t spans) const;
    void give_back(std::size_t spans);
    void grow(Lease& lease, std::size_t spans);  // under mutex_

    const std::size_t limit_;
    const std::chrono::milliseconds max_wait_;
    mutable std::mutex mutex_;
    std::size_t in_flight_ = 0;
    std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace nra::newrelic
