#include "support/fake_http_server.hpp"

#include <zlib.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <type_traits>

#include "support/loopback_loop.hpp"
#include "support/test_pki.hpp"

namespace nra::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using detail::LogErrors;
using detail::LoopbackLoop;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::uint64_t kBodyLimit = std::uint64_t{64} << 20;

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, tcp::socket>;

std::string gzip(const std::string& in) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        throw std::runtime_error("deflate failed");
    }
    return out;
}

Response make_response(const FakeReply& reply, bool request_keep_alive, unsigned version) {
    Response res;
    res.version(version);
    res.result(static_cast<unsigned>(reply.status));
    for (const auto& [name, value] : reply.headers) {
        res.insert(name, value);
    }
    if (res.find(http::field::content_type) == res.end()) {
        res.set(http::field::content_type, "application/json");
    }
    if (reply.gzip) {
        res.body() = gzip(reply.body);
        res.set(http::field::content_encoding, "gzip");
    } else {
        res.body() = reply.body;
    }
    res.keep_alive(reply.keep_alive && request_keep_alive);
    res.prepare_payload();
    return res;
}

FakeRequest to_fake(const Request& req, std::size_t connection) {
    FakeRequest out;
    out.method = std::string(req.method_string());
    out.target = std::string(req.target());
    for (const auto& field : req) {
        out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = req.body();
    out.connection = connection;
    return out;
}

struct ServerState {
    FakeHandler handler;
    FakeServerOptions options;
    asio::ssl::context ssl{asio::ssl::context::tls_server};
    mutable std::mutex mutex;
    std::condition_variable arrived;
    std::vector<FakeRequest> requests;
    LoopbackLoop loop;  // last: stopped and destroyed before the state its coroutines use

    ServerState(FakeHandler h, FakeServerOptions o) : handler(std::move(h)), options(std::move(o)) {
        if (options.tls) {
            configure_tls();
        }
    }

    void configure_tls() {
        ssl.set_options(
            asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
            asio::ssl::context::no_tlsv1_1
        );
        SSL_CTX_set_min_proto_version(ssl.native_handle(), TLS1_2_VERSION);
        const TestLeaf& leaf = test_pki().leaf(options.cert_host);
        ssl.use_certificate_chain(asio::buffer(leaf.cert_pem));
        ssl.use_private_key(asio::buffer(leaf.key_pem), asio::ssl::context::pem);
    }

    // Records the request, then asks the handler; a throwing handler drops the connection.
    FakeReply handle(const Request& req, std::size_t connection) {
        FakeRequest fake = to_fake(req, connection);
        {
            const std::lock_guard<std::mutex> lock(mutex);
            requests.push_back(fake);
        }
        arrived.notify_all();
        try {
            return handler(fake);
        } catch (const std::exception& e) {
            std::cerr << "FakeHttpServer: handler threw: " << e.what() << '\n';
        } catch (...) {
            std::cerr << "FakeHttpServer: handler threw\n";
        }
        FakeReply reply;
        reply.action = FakeReply::Action::close;
        return reply;
    }
};

// Reads and discards until the peer goes away or the server stops closing the socket.
template <class Stream>
asio::awaitable<void> hang(Stream& stream) {
    std::array<char, 1024> sink{};
    error_code ec;
    while (!ec) {
        co_await stream.async_read_some(
            asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec)
        );
    }
}

// Full Content-Length, half the body: the client must notice the body is cut short.
template <class Stream>
asio::awaitable<void> truncate(Stream& stream, const FakeReply& reply, unsigned version) {
    Response res = make_response(reply, false, version);
    const std::size_t full = res.body().size();
    res.body().resize(full / 2);
    res.content_length(full);
    error_code ec;
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
}

// Sends a normal reply; returns whether the connection may carry another request.
template <class Stream>
asio::awaitable<bool> respond(Stream& stream, const FakeReply& reply, const Request& req) {
    Response res = make_response(reply, req.keep_alive(), req.version());
    error_code ec;
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return false;
    }
    if (res.keep_alive()) {
        co_return true;
    }
    if constexpr (kIsTls<Stream>) {
        co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    } else {
        stream.shutdown(tcp::socket::shutdown_send, ec);
    }
    co_return false;
}

template <class Stream>
asio::awaitable<bool> act(Stream& stream, const FakeReply& reply, const Request& req) {
    switch (reply.action) {
        case FakeReply::Action::respond:
            co_return co_await respond(stream, reply, req);
        case FakeReply::Action::hang:
            co_await hang(stream);
            co_return false;
        case FakeReply::Action::truncate_body:
            co_await truncate(stream, reply, req.version());
            co_return false;
        case FakeReply::Action::close:
            break;
    }
    co_return false;
}

// One connection: optional TLS handshake, then requests until either side closes.
template <class Stream>
asio::awaitable<void> serve(ServerState* impl, Stream stream, std::size_t index) {
    const LoopbackLoop::Registration registration(impl->loop, beast::get_lowest_layer(stream));
    error_code ec;
    if constexpr (kIsTls<Stream>) {
        // A client that rejects the certificate just ends this connection.
        co_await stream.async_handshake(
            asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec)
        );
    }
    beast::flat_buffer buffer;
    while (!ec && !impl->loop.stopping()) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(kBodyLimit);
        co_await http::async_read(
            stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec)
        );
        if (ec) {
            break;
        }
        const Request& req = parser.get();
        const FakeReply reply = impl->handle(req, index);
        if (!co_await act(stream, reply, req)) {
            break;
        }
    }
}

asio::awaitable<void> accept_loop(ServerState* impl) {
    LoopbackLoop& loop = impl->loop;
    for (;;) {
        error_code ec;
        tcp::socket socket =
            co_await loop.acceptor().async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (loop.stopping() || ec == asio::error::operation_aborted) {
            co_return;
        }
        if (ec) {
            continue;
        }
        const std::size_t index = loop.count_accept();
        if (impl->options.tls) {
            asio::ssl::stream<tcp::socket> stream(std::move(socket), impl->ssl);
            asio::co_spawn(
                loop.context(), serve(impl, std::move(stream), index), LogErrors{"serve"}
            );
        } else {
            asio::co_spawn(
                loop.context(), serve(impl, std::move(socket), index), LogErrors{"serve"}
            );
        }
    }
}

}  // namespace

struct FakeHttpServer::Impl : ServerState {
    using ServerState::ServerState;
};

std::string FakeRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (beast::iequals(key, name)) {
            return value;
        }
    }
    return {};
}

FakeHttpServer::FakeHttpServer(FakeHandler handler, FakeServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options))) {
    impl_->loop.start(accept_loop(impl_.get()));
}

FakeHttpServer::~FakeHttpServer() {
    impl_->loop.stop();
}

unsigned short FakeHttpServer::port() const {
    return impl_->loop.port();
}

std::string FakeHttpServer::url(std::string_view path) const {
    const char* scheme = impl_->options.tls ? "https" : "http";
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

std::size_t FakeHttpServer::connections_accepted() const {
    return impl_->loop.accepted();
}

std::size_t FakeHttpServer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout)
    const {
    std::unique_lock lock(impl_->mutex);
    impl_->arrived.wait_for(lock, timeout, [&] { return impl_->requests.size() >= n; });
    return impl_->requests.size();
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
    const std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}

}  // namespace nra::test
