#include "http/resolve.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>

namespace nra::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

// One lookup's outcome, shared with its completion handler (which may outlive the waiter).
struct Lookup {
    explicit Lookup(const asio::any_io_executor& ex) : resolver(ex), done(ex) {}
    tcp::resolver resolver;
    asio::steady_timer done;  // expires at the deadline; cancelled when the lookup completes
    error_code ec;
    tcp::resolver::results_type results;
    bool finished = false;
};

struct LookupDone {
    std::shared_ptr<Lookup> lookup;
    void operator()(const error_code& ec, tcp::resolver::results_type results) const {
        lookup->ec = ec;
        lookup->results = std::move(results);
        lookup->finished = true;
        lookup->done.cancel();
    }
};

}  // namespace

asio::awaitable<error_code> resolve_within(
    std::string host,
    std::string port,
    std::chrono::steady_clock::time_point deadline,
    tcp::resolver::results_type& out
) {
    const auto executor = co_await asio::this_coro::executor;
    auto lookup = std::make_shared<Lookup>(executor);
    lookup->done.expires_at(deadline);
    lookup->resolver.async_resolve(host, port, LookupDone{lookup});
    error_code waited;
    co_await lookup->done.async_wait(asio::redirect_error(asio::use_awaitable, waited));
    if (!lookup->finished) {
        lookup->resolver.cancel();  // its handler still runs later and owns `lookup`
        co_return boost::beast::error::timeout;
    }
    out = std::move(lookup->results);
    co_return lookup->ec;
}

}  // namespace nra::http
