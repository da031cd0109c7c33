#include "slack/socket_connection.hpp"

#include <fmt/format.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/client.hpp"
#include "http/connection.hpp"

namespace nra::slack {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using error_code = boost::system::error_code;
using WsStream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

struct SocketConnection::Impl {
    SocketTimeouts timeouts;
    std::unique_ptr<WsStream> ws;
    beast::flat_buffer buffer;
};

std::string https_form_of(const std::string& ws_url) {
    if (ws_url.rfind("wss://", 0) == 0) return "https://" + ws_url.substr(6);
    return {};
}

SocketConnection::SocketConnection(int id, SocketTimeouts timeouts)
    : impl_(std::make_unique<Impl>()), id_(id) {
    impl_->timeouts = timeouts;
}

SocketConnection::~SocketConnection() = default;

asio::awaitable<std::string> SocketConnection::open(http::Client& client, std::string url) {
    const std::string https = https_form_of(url);
    if (https.empty()) co_return "apps.connections.open gave a URL that is not wss://";
    const auto endpoint = http::detail::parse_endpoint(https);
    if (!endpoint) co_return "apps.connections.open gave an unreadable URL";
    const auto deadline = std::chrono::steady_clock::now() + impl_->timeouts.open;
    auto opened = co_await client.open(https, deadline);
    if (opened.error) co_return "connect: " + opened.error.detail;
    if (opened.connection->tls() == nullptr) co_return "connect: not TLS";
    impl_->ws = std::make_unique<WsStream>(std::move(*opened.connection->tls()));
    auto& ws = *impl_->ws;
    beast::get_lowest_layer(ws).expires_never();  // the WebSocket timeouts take over
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = impl_->timeouts.open;
    timeout.idle_timeout = impl_->timeouts.idle;
    timeout.keep_alive_pings = true;  // a ping at half the idle time; silence then means dead
    ws.set_option(timeout);
    ws.read_message_max(impl_->timeouts.max_frame_bytes);
    ws.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
        request.set(beast::http::field::user_agent, "nr-analyzer/0.1");
    }));
    error_code ec;
    co_await ws.async_handshake(
        endpoint->host_header, endpoint->target, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) co_return fmt::format("{}: WebSocket handshake: {}", endpoint->label(), ec.message());
    co_return std::string{};
}

asio::awaitable<std::string> SocketConnection::read_loop(Sink sink) {
    auto& ws = *impl_->ws;
    for (;;) {
        impl_->buffer.clear();
        error_code ec;
        co_await ws.async_read(impl_->buffer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return ec == websocket::error::closed ? "closed" : ec.message();
        if (!ws.got_text()) continue;  // Slack sends text frames only
        std::string text = beast::buffers_to_string(impl_->buffer.data());
        auto answer = sink(*this, std::move(text));
        if (!answer) continue;
        ws.text(true);
        co_await ws.async_write(
            asio::buffer(*answer), asio::redirect_error(asio::use_awaitable, ec)
        );
        if (ec) co_return "write: " + ec.message();
    }
}

asio::awaitable<void> SocketConnection::close() {
    if (closing_ || !impl_->ws || !impl_->ws->is_open()) co_return;
    closing_ = true;
    error_code ec;
    const websocket::close_reason reason(websocket::close_code::normal);
    co_await impl_->ws->async_close(reason, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) beast::get_lowest_layer(*impl_->ws).close();
}

}  // namespace nra::slack
