#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/fake_http_server.hpp"
#include "support/loopback_loop.hpp"

namespace nra::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;  // || to race the tunnel halves
using boost::system::error_code;
using detail::LogErrors;
using detail::LoopbackLoop;

struct ProxyState {
    mutable std::mutex mutex;
    std::vector<std::string> targets;
    std::vector<std::string> authorizations;
    LoopbackLoop loop;  // last: stopped and destroyed before the state its coroutines use
};

asio::awaitable<void> write_text(tcp::socket& socket, std::string_view text) {
    error_code ec;
    co_await asio::async_write(
        socket, asio::buffer(text), asio::redirect_error(asio::use_awaitable, ec)
    );
}

// "host:port" or "[v6]:port"; the error stays in ec (no throw: a bad target is the client's
// problem, answered with 502).
asio::awaitable<void> connect_target(tcp::socket& upstream, std::string target, error_code& ec) {
    const std::size_t colon = target.rfind(':');
    if (colon == std::string::npos) {
        ec = asio::error::invalid_argument;
        co_return;
    }
    std::string host = target.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    tcp::resolver resolver(upstream.get_executor());
    const auto results = co_await resolver.async_resolve(
        host, target.substr(colon + 1), asio::redirect_error(asio::use_awaitable, ec)
    );
    if (!ec) {
        co_await asio::async_connect(
            upstream, results, asio::redirect_error(asio::use_awaitable, ec)
        );
    }
}

// Copies one direction until it ends; the caller then tears the whole tunnel down.
asio::awaitable<void> pipe(tcp::socket& from, tcp::socket& to) {
    std::array<char, 16384> data{};
    error_code ec;
    while (!ec) {
        const std::size_t n = co_await from.async_read_some(
            asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec)
        );
        if (n > 0) {
            error_code write_ec;
            co_await asio::async_write(
                to, asio::buffer(data, n), asio::redirect_error(asio::use_awaitable, write_ec)
            );
            ec = ec ? ec : write_ec;
        }
    }
}

asio::awaitable<void> tunnel(ProxyState* state, tcp::socket client) {
    const LoopbackLoop::Registration client_registration(state->loop, client);
    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    error_code ec;
    co_await http::async_read_header(
        client, buffer, parser, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) {
        co_return;
    }
    if (parser.get().method() != http::verb::connect) {
        co_await write_text(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
        co_return;
    }
    const std::string target(parser.get().target());
    {
        const std::lock_guard<std::mutex> lock(state->mutex);
        state->targets.push_back(target);
        state->authorizations.emplace_back(parser.get()[http::field::proxy_authorization]);
    }
    tcp::socket upstream(client.get_executor());
    const LoopbackLoop::Registration upstream_registration(state->loop, upstream);
    co_await connect_target(upstream, target, ec);
    if (state->loop.stopping()) {
        co_return;  // the connect may have opened the socket after stop() closed the rest
    }
    if (ec) {
        co_await write_text(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        co_return;
    }
    co_await write_text(client, "HTTP/1.1 200 Connection established\r\n\r\n");
    // Bytes the client sent right behind the CONNECT head (e.g. a TLS ClientHello).
    co_await asio::async_write(
        upstream, buffer.data(), asio::redirect_error(asio::use_awaitable, ec)
    );
    co_await (pipe(client, upstream) || pipe(upstream, client));
}

asio::awaitable<void> proxy_accept_loop(ProxyState* state) {
    LoopbackLoop& loop = state->loop;
    for (;;) {
        error_code ec;
        tcp::socket socket =
            co_await loop.acceptor().async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (loop.stopping() || ec == asio::error::operation_aborted) {
            co_return;
        }
        if (!ec) {
            loop.count_accept();
            asio::co_spawn(loop.context(), tunnel(state, std::move(socket)), LogErrors{"tunnel"});
        }
    }
}

}  // namespace

struct FakeConnectProxy::Impl : ProxyState {};

FakeConnectProxy::FakeConnectProxy() : impl_(std::make_unique<Impl>()) {
    impl_->loop.start(proxy_accept_loop(impl_.get()));
}

FakeConnectProxy::~FakeConnectProxy() {
    impl_->loop.stop();
}

unsigned short FakeConnectProxy::port() const {
    return impl_->loop.port();
}

std::string FakeConnectProxy::url() const {
    return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<std::string> FakeConnectProxy::connect_targets() const {
    const std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->targets;
}

std::vector<std::string> FakeConnectProxy::authorizations() const {
    const std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->authorizations;
}

}  // namespace nra::test
