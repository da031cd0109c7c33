#include "newrelic/span_budget.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <vector>

#include "log/log.hpp"

#if defined(NRA_WITH_MIMALLOC)
#include <mimalloc.h>
#elif defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nra::newrelic {

namespace asio = boost::asio;

namespace {

// Returns free pages to the system, in whichever allocator this build runs on (app/allocator.hpp).
void release_free_memory() {
#if defined(NRA_WITH_MIMALLOC)
    mi_collect(true);
#elif defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace

// One fetch waiting for room. Shared between the waiting coroutine and the queue, so a wake-up
// posted by a releasing thread never touches a timer that is gone.
struct SpanBudget::Waiter {
    explicit Waiter(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    Lease* lease = nullptr;
    std::size_t spans = 0;
    bool granted = false;  // guarded by the budget's mutex
};

SpanBudget::SpanBudget(std::size_t limit, std::chrono::milliseconds max_wait)
    : limit_(limit), max_wait_(max_wait) {}

SpanBudget::~SpanBudget() = default;

SpanBudget::Lease::~Lease() {
    try {
        std::size_t spans = 0;
        {
            const std::lock_guard lock(budget_.mutex_);
            spans = spans_;
            spans_ = 0;
        }
        if (spans > 0) budget_.give_back(spans);
    } catch (...) {  // NOLINT(bugprone-empty-catch): only a failed lock or allocation gets here
        // The spans stay counted: later traces wait or are refused, the process stays up.
    }
}

std::size_t SpanBudget::Lease::spans() const {
    const std::lock_guard lock(budget_.mutex_);
    return spans_;
}

std::size_t SpanBudget::in_flight() const {
    const std::lock_guard lock(mutex_);
    return in_flight_;
}

std::size_t SpanBudget::waiting() const {
    const std::lock_guard lock(mutex_);
    return waiters_.size();
}

Error SpanBudget::too_large(std::size_t spans) const {
    return make_error(fmt::format(
        "too large to analyse here: {} spans (this bot holds at most {} spans in memory)",
        spans,
        limit_
    ));
}

void SpanBudget::grow(Lease& lease, std::size_t spans) {
    if (lease.spans_ >= spans) return;
    in_flight_ += spans - lease.spans_;
    lease.spans_ = spans;
}

Result<std::size_t> SpanBudget::take(Lease& lease, std::size_t spans) {
    if (spans > limit_) return too_large(spans);
    const std::lock_guard lock(mutex_);
    grow(lease, spans);
    return lease.spans_;
}

// Takes a waiter out of the queue when its wait ends in any way, including a coroutine frame
// destroyed without being resumed (an io_context torn down at exit).
struct SpanBudget::Queued {
    Queued(SpanBudget& b, std::shared_ptr<Waiter> w) : budget(b), waiter(std::move(w)) {}
    SpanBudget& budget;
    std::shared_ptr<Waiter> waiter;
    Queued(const Queued&) = delete;
    Queued& operator=(const Queued&) = delete;
    ~Queued() {
        const std::lock_guard lock(budget.mutex_);
        std::erase(budget.waiters_, waiter);
    }
};

asio::awaitable<Result<std::size_t>> SpanBudget::reserve(Lease& lease, std::size_t spans) {
    if (spans > limit_) co_return too_large(spans);
    auto waiter = std::make_shared<Waiter>(co_await asio::this_coro::executor);
    std::size_t ahead = 0;
    {
        const std::lock_guard lock(mutex_);
        if (lease.spans_ > 0 || (waiters_.empty() && in_flight_ + spans <= limit_)) {
            grow(lease, spans);
            co_return lease.spans_;
        }
        waiter->lease = &lease;
        waiter->spans = spans;
        ahead = in_flight_;
        waiters_.push_back(waiter);
    }
    log::info("waiting for memory: {} spans, {} of {} spans in flight", spans, ahead, limit_);
    boost::system::error_code ec;
    {
        const Queued queued(*this, waiter);
        waiter->timer.expires_after(max_wait_);
        co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        const std::lock_guard lock(mutex_);
        if (waiter->granted) co_return lease.spans_;
    }
    // Not granted: the wait was cancelled (a shutdown) or ran out of time. Leaving the queue may
    // let the next waiters in.
    give_back(0);
    if (ec == asio::error::operation_aborted) throw boost::system::system_error(ec);
    co_return make_error(fmt::format(
        "too busy: {} spans of other traces are being analysed; ask again in a few minutes", ahead
    ));
}

void SpanBudget::give_back(std::size_t spans) {
    std::vector<std::shared_ptr<Waiter>> woken;
    {
        const std::lock_guard lock(mutex_);
        in_flight_ -= std::min(spans, in_flight_);
        while (!waiters_.empty() && in_flight_ + waiters_.front()->spans <= limit_) {
            auto& next = waiters_.front();
            grow(*next->lease, next->spans);
            next->granted = true;
            woken.push_back(std::move(next));
            waiters_.pop_front();
        }
    }
    for (auto& w : woken) {
        const auto ex = w->timer.get_executor();
        asio::post(ex, [w = std::move(w)] { w->timer.cancel(); });
    }
    // The tree, the rows and the pages of a big trace are freed by now; hand the free pages back
    // (glibc would keep hundreds of MB after a 300k-span trace until the process ends).
    if (spans >= kTrimSpans) release_free_memory();
}

}  // namespace nra::newrelic
