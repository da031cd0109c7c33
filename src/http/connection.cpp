#include "http/connection.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cerrno>
#include <memory>

#include "http/resolve.hpp"

namespace nra::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

bool is_ip_literal(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

bool valid_port(std::string_view port) {
    if (port.empty() || port.size() > 5) return false;
    unsigned value = 0;
    for (const char c : port) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value >= 1 && value <= 65535;
}

bool timed_out(const error_code& ec) {
    return ec == beast::error::timeout;
}

StepError fail(Failure failure, std::string detail) {
    return {failure, std::move(detail)};
}

}  // namespace

bool Connection::peer_gone() {
    if (buffer_.size() != 0) return true;  // bytes nobody asked for
    auto& socket = tcp().socket();
    if (!socket.is_open()) return true;
    char probe = 0;
    const auto n = ::recv(socket.native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;                         // orderly close (FIN)
    if (n > 0) return true;                          // unsolicited data or a TLS alert
    return errno != EAGAIN && errno != EWOULDBLOCK;  // reset or other error
}

namespace {

// Resolves within the deadline (a hung DNS server cannot stall a request past it).
asio::awaitable<StepError> resolve(
    std::string host, std::string port, Deadline deadline, tcp::resolver::results_type& out
) {
    const auto ec = co_await resolve_within(host, std::move(port), deadline, out);
    if (ec == beast::error::timeout) {
        co_return fail(Failure::timeout, fmt::format("resolve {}: deadline passed", host));
    }
    if (ec) co_return fail(Failure::connect, fmt::format("resolve {}: {}", host, ec.message()));
    co_return StepError{};
}

// CONNECT host:port through the proxy; anything but 2xx is the proxy's refusal.
asio::awaitable<StepError> tunnel(
    beast::tcp_stream& stream, beast::flat_buffer& buffer, Endpoint endpoint, ProxyTarget proxy
) {
    const std::string authority = endpoint.host.find(':') == std::string::npos
                                      ? endpoint.host + ":" + endpoint.port
                                      : "[" + endpoint.host + "]:" + endpoint.port;
    bhttp::request<bhttp::empty_body> request{bhttp::verb::connect, authority, 11};
    request.set(bhttp::field::host, authority);
    if (!proxy.authorization.empty()) {
        request.set(bhttp::field::proxy_authorization, proxy.authorization);
    }
    const std::string where = fmt::format("proxy {}:{}", proxy.host, proxy.port);
    error_code ec;
    co_await bhttp::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a 2xx answer to CONNECT has no body: the tunnel starts right after
    if (!ec) {
        co_await bhttp::async_read(
            stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec)
        );
    }
    if (ec) {
        co_return fail(
            timed_out(ec) ? Failure::timeout : Failure::proxy,
            fmt::format("{}: CONNECT: {}", where, ec.message())
        );
    }
    const unsigned status = parser.get().result_int();
    if (status < 200 || status > 299) {
        co_return fail(Failure::proxy, fmt::format("{}: CONNECT answered {}", where, status));
    }
    if (buffer.size() != 0) {
        co_return fail(Failure::proxy, fmt::format("{}: bytes after CONNECT reply", where));
    }
    co_return StepError{};
}

// host_name_verification leaves OpenSSL's verify result "unspecified" on a mismatch; naming it
// makes the log line say what actually went wrong.
struct VerifyHostName {
    asio::ssl::host_name_verification check;

    bool operator()(bool preverified, asio::ssl::verify_context& context) const {
        if (check(preverified, context)) return true;
        if (preverified) {
            X509_STORE_CTX_set_error(context.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
        }
        return false;
    }
};

std::string handshake_detail(
    beast::ssl_stream<beast::tcp_stream>& stream, const error_code& ec, const std::string& label
) {
    const long verify = SSL_get_verify_result(stream.native_handle());
    if (verify != X509_V_OK) {
        return fmt::format(
            "{}: TLS handshake: {} ({})", label, ec.message(), X509_verify_cert_error_string(verify)
        );
    }
    return fmt::format("{}: TLS handshake: {}", label, ec.message());
}

asio::awaitable<StepError> handshake(
    Connection& connection, asio::ssl::context& ssl, Endpoint endpoint
) {
    connection.start_tls(ssl);
    auto& stream = *connection.tls();
    // SNI carries DNS names only (RFC 6066); the certificate check covers IP SANs too.
    if (!is_ip_literal(endpoint.host) &&
        SSL_set_tlsext_host_name(stream.native_handle(), endpoint.host.c_str()) != 1) {
        co_return fail(Failure::tls, fmt::format("{}: cannot set SNI", endpoint.label()));
    }
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(VerifyHostName{asio::ssl::host_name_verification(endpoint.host)});
    error_code ec;
    co_await stream.async_handshake(
        asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec)
    );
    if (ec) {
        co_return fail(
            timed_out(ec) ? Failure::timeout : Failure::tls,
            handshake_detail(stream, ec, endpoint.label())
        );
    }
    co_return StepError{};
}

}  // namespace

Connection::Connection(beast::tcp_stream stream)
    : plain_(std::make_unique<beast::tcp_stream>(std::move(stream))) {}

void Connection::start_tls(asio::ssl::context& context) {
    tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*plain_), context);
    plain_.reset();
}

beast::tcp_stream& Connection::tcp() {
    return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

std::optional<Endpoint> parse_endpoint(std::string_view url) {
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return std::nullopt;
    Endpoint out;
    const auto scheme = parsed->scheme_id();
    if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
        return std::nullopt;
    }
    out.tls = scheme == boost::urls::scheme::https;
    out.scheme = out.tls ? "https" : "http";
    out.host = parsed->host_address();
    if (out.host.empty()) return std::nullopt;
    const std::string default_port = out.tls ? "443" : "80";
    out.port =
        parsed->has_port() && !parsed->port().empty() ? std::string(parsed->port()) : default_port;
    if (!valid_port(out.port)) return std::nullopt;
    out.host_header = std::string(parsed->encoded_host());
    if (out.port != default_port) out.host_header += ":" + out.port;
    out.target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
    if (parsed->has_query()) out.target += "?" + std::string(parsed->encoded_query());
    return out;
}

asio::awaitable<Opened> open_connection(
    asio::any_io_executor executor,
    asio::ssl::context& ssl,
    Endpoint endpoint,
    std::optional<ProxyTarget> proxy,
    Deadline deadline
) {
    Opened out;
    const std::string& host = proxy ? proxy->host : endpoint.host;
    const std::string& port = proxy ? proxy->port : endpoint.port;
    tcp::resolver::results_type addresses;
    if (auto error = co_await resolve(host, port, deadline, addresses)) {
        out.error = std::move(error);
        co_return out;
    }
    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    error_code ec;
    co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        const auto failure = timed_out(ec) ? Failure::timeout : Failure::connect;
        const auto what = proxy ? fmt::format("proxy {}:{}", host, port) : endpoint.label();
        out.error = fail(failure, fmt::format("{}: connect: {}", what, ec.message()));
        co_return out;
    }
    out.tcp_connected = true;
    stream.socket().set_option(tcp::no_delay(true), ec);  // request/response: no Nagle delay
    auto connection = std::make_unique<Connection>(std::move(stream));
    if (proxy) {
        out.error = co_await tunnel(connection->tcp(), connection->buffer(), endpoint, *proxy);
    }
    if (!out.error && endpoint.tls) out.error = co_await handshake(*connection, ssl, endpoint);
    if (!out.error) out.connection = std::move(connection);
    co_return out;
}

}  // namespace nra::http::detail
