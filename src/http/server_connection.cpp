// One server connection: optional TLS handshake, then a keep-alive loop of read, handle, write,
// each step under a deadline (ServerOptions::read_timeout / idle_timeout).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "http/server_core.hpp"
#include "log/log.hpp"
#include "obs/metric_catalog.hpp"
#include "obs/metrics.hpp"

namespace nra::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

namespace {

constexpr std::size_t kFirstReadBytes = 4096;
constexpr std::string_view kRequestIdHeader = "X-Request-Id";
using RequestParser = bhttp::request_parser<bhttp::string_body>;

struct ErrorReply {
    unsigned status;
    std::string_view body;
};

bool is_http_error(const error_code& ec) {
    return &ec.category() == &bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

// What to answer a request that could not be read; nothing when the peer is gone or too slow
// (a timed-out tcp_stream has already closed its socket).
std::optional<ErrorReply> read_error_reply(const error_code& ec) {
    if (ec == bhttp::error::body_limit) return ErrorReply{413, R"({"error":"body too large"})"};
    if (ec == bhttp::error::header_limit) return ErrorReply{431, R"({"error":"header too large"})"};
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
        return std::nullopt;
    }
    if (is_http_error(ec)) return ErrorReply{400, R"({"error":"bad request"})"};
    return std::nullopt;
}

void finish(BeastResponse& response, bool keep_alive, bool head) {
    response.keep_alive(keep_alive);
    response.set(bhttp::field::connection, keep_alive ? "keep-alive" : "close");
    response.prepare_payload();
    if (head) response.body().clear();  // Content-Length stays what a GET would have sent
}

BeastResponse json_reply(
    unsigned status, std::string_view body, unsigned version, bool keep_alive
) {
    BeastResponse response{static_cast<bhttp::status>(status), version};
    response.set(bhttp::field::content_type, "application/json");
    response.body() = std::string(body);
    finish(response, keep_alive, false);
    return response;
}

bool is_framing(std::string_view name) {
    const auto field = bhttp::string_to_field(name);
    return field == bhttp::field::content_length || field == bhttp::field::transfer_encoding ||
           field == bhttp::field::connection || field == bhttp::field::content_type;
}

bool has_line_break(std::string_view text) {
    return text.find_first_of("\r\n") != std::string_view::npos;
}

// Throws on a response that cannot be sent as is; the caller turns that into a 500.
BeastResponse to_beast(ServerResponse answer, unsigned version, bool keep_alive, bool head) {
    if (answer.status < 100 || answer.status > 599) {
        throw std::runtime_error(fmt::format("handler returned status {}", answer.status));
    }
    BeastResponse response{static_cast<bhttp::status>(answer.status), version};
    for (const auto& header : answer.headers) {
        if (has_line_break(header.name) || has_line_break(header.value)) {
            throw std::runtime_error("handler returned a header with a line break");
        }
        if (!is_framing(header.name)) response.insert(header.name, header.value);
    }
    if (has_line_break(answer.content_type)) {
        throw std::runtime_error("handler returned a content type with a line break");
    }
    if (!answer.content_type.empty()) {
        response.set(bhttp::field::content_type, answer.content_type);
    }
    response.body() = std::move(answer.body);
    finish(response, keep_alive, head);
    return response;
}

// A sane X-Request-Id from the client (a proxy's, so both logs correlate), else a fresh id.
std::string request_id_of(const BeastRequest& request) {
    return log::request_id_or_new(request[kRequestIdHeader]);
}

// A request that could not be read: one log line under its own id, which the reply carries.
BeastResponse refuse(
    ServerConnection& connection,
    const RequestParser& parser,
    const ErrorReply& reply,
    const error_code& ec
) {
    const std::string id =
        parser.is_header_done() ? request_id_of(parser.get()) : log::new_request_id();
    const log::RequestScope scope(id);
    obs::registry().count(obs::kMalformedRequests.name, obs::kMalformedRequests.help, {});
    connection.state().malformed_log.warn(
        "http server: refused a request from {} with {}: {}",
        connection.remote(),
        reply.status,
        ec.message()
    );
    BeastResponse response = json_reply(reply.status, reply.body, 11, false);
    response.set(kRequestIdHeader, id);
    return response;
}

ServerRequest to_server_request(BeastRequest request, const std::string& remote) {
    ServerRequest out;
    out.method = std::string(request.method_string());
    out.target = std::string(request.target());
    for (const auto& field : request) {
        out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    out.body = std::move(request.body());
    out.remote = remote;
    out.request_id = request_id_of(request);
    return out;
}

// Calls the handler with the request's id as the current log id (the jobs it queues keep it),
// then awaits its deferred answer when it has one. A throw becomes a 500 and one log line with
// the method and path only: headers, query and body may carry signatures and tokens.
asio::awaitable<BeastResponse> respond(ServerConnection& connection, BeastRequest request) {
    ServerState& state = connection.state();
    const unsigned version = request.version();
    const bool head = request.method() == bhttp::verb::head;
    const bool wants_keep_alive = request.keep_alive();
    const ServerRequest incoming = to_server_request(std::move(request), connection.remote());
    const log::RequestScope scope(incoming.request_id);
    std::string failure;
    try {
        ServerResponse answer = state.handler(incoming);
        if (answer.later) {
            auto later = std::move(answer.later);
            auto waiting = later();  // named: GCC 12
            answer = co_await std::move(waiting);
            connection.tcp().expires_after(state.options.read_timeout);  // time to write it
        }
        if (answer.authenticated) connection.authenticated = true;
        // After the handler: it may have called stop().
        auto response =
            to_beast(std::move(answer), version, wants_keep_alive && !state.stopping, head);
        response.set(kRequestIdHeader, incoming.request_id);
        co_return response;
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown exception";
    }
    log::error(
        "http server: {} {} from {}: handler failed: {}",
        incoming.method,
        incoming.path(),
        connection.remote(),
        failure
    );
    const bool keep_alive = wants_keep_alive && !state.stopping;
    auto failed = json_reply(500, R"({"error":"internal error"})", version, keep_alive);
    failed.set(kRequestIdHeader, incoming.request_id);
    co_return failed;
}

template <class Stream>
asio::awaitable<error_code> read_some(Stream& stream, beast::flat_buffer& buffer) {
    error_code ec;
    const std::size_t n = co_await stream.async_read_some(
        buffer.prepare(kFirstReadBytes), asio::redirect_error(asio::use_awaitable, ec)
    );
    buffer.commit(n);
    co_return ec;
}

// Half-close then drain what the client is still sending (the rest of a refused body, a
// pipelined request): closing with unread input would reset the connection and could destroy
// the response before the client reads it.
asio::awaitable<void> close_gracefully(ServerConnection& connection) {
    beast::tcp_stream& tcp = connection.tcp();
    tcp.expires_after(connection.state().options.read_timeout);
    error_code ec;
    if (auto* tls = connection.tls()) {
        co_await tls->async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    } else {
        tcp.socket().shutdown(tcp::socket::shutdown_send, ec);
        std::array<char, std::size_t{16} * 1024> sink{};
        while (!ec) {
            co_await tcp.async_read_some(
                asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec)
            );
        }
    }
    tcp.close();
}

template <class Stream>
asio::awaitable<bool> send(ServerConnection& connection, Stream& stream, BeastResponse response) {
    connection.tcp().expires_after(connection.state().options.read_timeout);
    error_code ec;
    co_await bhttp::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
}

// Waits for the next request's first byte: while idle, stop() may close the connection.
template <class Stream>
asio::awaitable<bool> await_request(
    ServerConnection& connection, Stream& stream, beast::flat_buffer& buffer, bool first
) {
    const ServerOptions& options = connection.state().options;
    // The first request's deadline started at accept (or after the TLS handshake).
    if (!first) {
        connection.tcp().expires_after(
            connection.authenticated ? options.idle_timeout : options.unauthenticated_idle_timeout
        );
    }
    if (buffer.size() == 0) {
        connection.set_idle(true);
        const error_code ec = co_await read_some(stream, buffer);
        connection.set_idle(false);
        if (ec) co_return false;
    }
    if (!first) connection.tcp().expires_after(options.read_timeout);
    co_return true;
}

template <class Stream>
asio::awaitable<void> serve_requests(ServerConnection& connection, Stream& stream) {
    ServerState& state = connection.state();
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
        if (state.stopping) break;  // the last answer said keep-alive, but we are closing
        if (!co_await await_request(connection, stream, buffer, first)) co_return;
        RequestParser parser;
        parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
            state.options.max_header_bytes, std::numeric_limits<std::uint32_t>::max()
        )));
        parser.body_limit(state.options.max_body_bytes);
        error_code ec;
        co_await bhttp::async_read(
            stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec)
        );
        if (ec) {
            const auto reply = read_error_reply(ec);
            if (!reply) co_return;
            BeastResponse refusal = refuse(connection, parser, *reply, ec);
            const bool sent = co_await send(connection, stream, std::move(refusal));
            if (!sent) co_return;
            break;
        }
        ++state.requests;
        BeastResponse response = co_await respond(connection, parser.release());
        const bool keep_alive = response.keep_alive();
        if (!co_await send(connection, stream, std::move(response))) co_return;
        if (!keep_alive) break;
    }
    co_await close_gracefully(connection);
}

}  // namespace

ServerConnection::ServerConnection(std::shared_ptr<ServerState> state, tcp::socket socket)
    : state_(std::move(state)), id_(++state_->next_id), remote_(remote_of(socket)) {
    beast::tcp_stream stream(std::move(socket));
    if (state_->tls) {
        tls_ =
            std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(stream), *state_->tls);
    } else {
        plain_ = std::make_unique<beast::tcp_stream>(std::move(stream));
    }
    state_->connections.emplace(id_, this);
    ++state_->connections_open;
}

ServerConnection::~ServerConnection() {
    state_->forget(id_, shed_);
}

beast::tcp_stream& ServerConnection::tcp() {
    return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

void ServerConnection::close() {
    tcp().close();
}

void ServerConnection::shed() {
    shed_ = true;
    idle_ = false;
    close();
}

void ServerConnection::set_idle(bool idle) {
    if (idle && !idle_) idle_since_ = std::chrono::steady_clock::now();
    idle_ = idle && !shed_;
}

std::string remote_of(const tcp::socket& socket) {
    error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return {};
    return fmt::format("{}:{}", peer.address().to_string(), peer.port());
}

asio::awaitable<void> serve_connection(std::shared_ptr<ServerConnection> connection) {
    const ServerOptions& options = connection->state().options;
    connection->tcp().expires_after(options.read_timeout);
    if (auto* tls = connection->tls()) {
        error_code ec;
        co_await tls->async_handshake(
            asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec)
        );
        if (ec) co_return;  // a scanner or a client that rejects the certificate
        connection->tcp().expires_after(options.read_timeout);
        co_await serve_requests(*connection, *tls);
    } else {
        co_await serve_requests(*connection, connection->tcp());
    }
}

}  // namespace nra::http::detail
