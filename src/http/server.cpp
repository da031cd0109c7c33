#include "http/server.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <stdexcept>
#include <utility>

#include "http/server_core.hpp"
#include "http/text.hpp"
#include "log/log.hpp"
#include "obs/metric_catalog.hpp"
#include "obs/metrics.hpp"

namespace nra::http {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace detail {
namespace {

// After the stop deadline the remaining sockets are closed; their coroutines end on the next
// turns of the loop, and this bounds the wait for that.
constexpr auto kCloseGrace = std::chrono::seconds(1);
// Back-off after a failed accept (EMFILE, ENOBUFS) so the loop does not spin.
constexpr auto kAcceptRetry = std::chrono::milliseconds(50);
// At most one line per interval about refused or shed connections and failed accepts.
constexpr auto kLogEvery = std::chrono::seconds(10);

struct LogFailure {
    const char* what;
    void operator()(const std::exception_ptr& error) const {
        log::failure(std::string("http server: ") + what, error);
    }
};

// Whether a new connection may stay: at the limit it takes an idle connection's place, else it
// is closed at once, counted and logged (at most once per interval).
bool admit(ServerState& state, tcp::socket& socket) {
    if (state.make_room()) return true;
    ++state.connections_refused;
    obs::registry().count(obs::kConnectionsRefused.name, obs::kConnectionsRefused.help, {});
    state.refusal_log.warn(
        "http server: refused a connection from {}: {} connections open (the limit), none idle",
        remote_of(socket),
        state.options.max_connections
    );
    error_code ignored;
    socket.close(ignored);
    return false;
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> state) {
    for (;;) {
        error_code ec;
        tcp::socket socket =
            co_await state->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (state->stopping || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            state->accept_log.warn("http server: accept: {}", ec.message());
            asio::steady_timer pause(state->executor, kAcceptRetry);
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        if (!admit(*state, socket)) continue;
        ++state->connections_total;
        socket.set_option(tcp::no_delay(true), ec);  // request/response: no Nagle delay
        auto connection = std::make_shared<ServerConnection>(state, std::move(socket));
        asio::co_spawn(
            state->executor, serve_connection(std::move(connection)), LogFailure{"connection"}
        );
    }
}

// Lists a stopped() caller's timer for as long as it waits, so the last connection to end can
// wake it.
class DrainWaiter {
public:
    DrainWaiter(ServerState& state, asio::steady_timer& timer) : state_(state), timer_(&timer) {
        state_.drain_waiters.push_back(timer_);
    }
    ~DrainWaiter() { std::erase(state_.drain_waiters, timer_); }
    DrainWaiter(const DrainWaiter&) = delete;
    DrainWaiter& operator=(const DrainWaiter&) = delete;

private:
    ServerState& state_;
    asio::steady_timer* timer_;
};

asio::awaitable<void> wait_drained(
    std::shared_ptr<ServerState> state, asio::steady_timer::duration limit
) {
    if (state->connections.empty()) co_return;
    asio::steady_timer timer(state->executor, limit);
    const DrainWaiter waiter(*state, timer);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Starts the graceful stop itself, so awaiting stopped() alone cannot wait forever. Runs on the
// server's executor (the caller awaits it there).
asio::awaitable<void> wait_stopped(
    std::shared_ptr<ServerState> state, std::chrono::milliseconds deadline
) {
    state->begin_stop();
    co_await wait_drained(state, deadline);
    if (state->connections.empty()) co_return;
    state->close_all();
    co_await wait_drained(state, kCloseGrace);
}

}  // namespace

ServerState::ServerState(asio::any_io_executor ex, ServerOptions opts, RequestHandler h)
    : executor(std::move(ex)),
      options(std::move(opts)),
      handler(std::move(h)),
      acceptor(executor),
      refusal_log(kLogEvery),
      shed_log(kLogEvery),
      malformed_log(kLogEvery),
      accept_log(kLogEvery) {}

void ServerState::begin_stop() {
    stopping = true;
    error_code ignored;
    acceptor.close(ignored);
    for (const auto& [id, connection] : connections) {
        if (connection->idle()) connection->close();
    }
}

namespace {

// Who goes first at the limit: a connection no route vouched for, then the longest idle.
bool sheds_before(const ServerConnection& a, const ServerConnection& b) {
    return std::pair(a.authenticated, a.idle_since()) < std::pair(b.authenticated, b.idle_since());
}

}  // namespace

bool ServerState::make_room() {
    if (connections.size() - shed_closing < options.max_connections) return true;
    ServerConnection* victim = nullptr;
    for (const auto& [id, connection] : connections) {
        if (!connection->idle() || connection->is_shed()) continue;
        if (victim == nullptr || sheds_before(*connection, *victim)) victim = connection;
    }
    if (victim == nullptr) return false;
    const auto idle_for = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - victim->idle_since()
    );
    shed_log.info(
        "http server: {} connections open (the limit): closed one from {}, idle for {} ms, "
        "for a new one",
        options.max_connections,
        victim->remote(),
        idle_for.count()
    );
    victim->shed();
    ++shed_closing;
    ++connections_shed;
    obs::registry().count(obs::kConnectionsShed.name, obs::kConnectionsShed.help, {});
    return true;
}

void ServerState::close_all() {
    stopping = true;
    error_code ignored;
    acceptor.close(ignored);
    for (const auto& [id, connection] : connections) connection->close();
}

void ServerState::forget(std::size_t id, bool shed) {
    connections.erase(id);
    if (shed) --shed_closing;
    --connections_open;
    notify_if_drained();
}

void ServerState::notify_if_drained() {
    if (!connections.empty()) return;
    for (auto* timer : drain_waiters) timer->cancel();
}

}  // namespace detail

struct HttpServer::Impl : detail::ServerState {
    using ServerState::ServerState;
};

namespace {

tcp::endpoint listen_endpoint(const ServerOptions& options) {
    error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec) {
        throw std::runtime_error(
            fmt::format("http server: bad listen address '{}'", options.address)
        );
    }
    return {address, options.port};
}

void listen(tcp::acceptor& acceptor, const tcp::endpoint& endpoint) {
    error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error_code ignored;
        acceptor.close(ignored);
        const auto where =
            endpoint.address().is_v6()
                ? fmt::format("[{}]:{}", endpoint.address().to_string(), endpoint.port())
                : fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
        throw std::runtime_error(
            fmt::format("http server: cannot listen on {}: {}", where, ec.message())
        );
    }
}

}  // namespace

std::string_view ServerRequest::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (detail::iequals(h.name, name)) return h.value;
    }
    return {};
}

std::string_view ServerRequest::path() const {
    const std::string_view view(target);
    return view.substr(0, view.find('?'));
}

HttpServer::HttpServer(
    asio::any_io_executor executor, ServerOptions options, RequestHandler handler
)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options), std::move(handler))) {}

// The io_context is not running (or never will again): close everything from here so the
// coroutines, when their frames are run or destroyed with the context, only see aborted I/O.
HttpServer::~HttpServer() {
    impl_->close_all();
    impl_->drain_waiters.clear();
}

unsigned short HttpServer::start() {
    if (impl_->started || impl_->stopping) {
        throw std::logic_error("http server: start() after start() or stop()");
    }
    const tcp::endpoint endpoint = listen_endpoint(impl_->options);
    impl_->tls = detail::make_server_tls(impl_->options);
    listen(impl_->acceptor, endpoint);
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->started = true;
    std::shared_ptr<detail::ServerState> state = impl_;
    asio::co_spawn(impl_->executor, detail::accept_loop(state), detail::LogFailure{"accept loop"});
    return impl_->port;
}

void HttpServer::stop() {
    std::shared_ptr<detail::ServerState> state = impl_;
    asio::dispatch(impl_->executor, [state] { state->begin_stop(); });
}

asio::awaitable<void> HttpServer::stopped(std::chrono::milliseconds deadline) {
    return detail::wait_stopped(impl_, deadline);
}

unsigned short HttpServer::port() const {
    return impl_->port;
}

ServerStats HttpServer::stats() const {
    ServerStats out;
    out.connections_open = impl_->connections_open.load();
    out.connections_total = impl_->connections_total.load();
    out.connections_refused = impl_->connections_refused.load();
    out.connections_shed = impl_->connections_shed.load();
    out.requests = impl_->requests.load();
    return out;
}

}  // namespace nra::http
