// Internal to the HTTP client: one TCP connection (optionally through a CONNECT tunnel, optionally
// TLS), how to open it against a deadline, and one request/response exchange on it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"
#include "http/proxy.hpp"

namespace nra::http::detail {

using Deadline = std::chrono::steady_clock::time_point;
using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// An absolute URL split into what a connection and a request line need.
struct Endpoint {
    bool tls = false;
    std::string scheme;       // "http" or "https"
    std::string host;         // percent-decoded, no brackets: DNS, SNI, certificate check
    std::string port;         // explicit or the scheme's default
    std::string host_header;  // as in the URL (brackets kept), ":port" only when not default
    std::string target;       // origin-form: path + query, at least "/"

    std::string label() const { return scheme + "://" + host_header; }  // for logs
};

std::optional<Endpoint> parse_endpoint(std::string_view url);

// Why a step failed, as the Outcome will say it. `detail` never holds headers or bodies.
struct StepError {
    Failure failure = Failure::none;
    std::string detail;

    explicit operator bool() const { return failure != Failure::none; }
};

class Connection {
public:
    explicit Connection(boost::beast::tcp_stream stream);

    // Moves the TCP stream under a TLS stream; call before the handshake.
    void start_tls(boost::asio::ssl::context& context);

    boost::beast::tcp_stream& tcp();
    boost::beast::ssl_stream<boost::beast::tcp_stream>* tls() { return tls_.get(); }
    boost::beast::flat_buffer& buffer() { return buffer_; }

    std::chrono::steady_clock::time_point idle_since{};

    // True when an idle connection can no longer carry a request: the peer closed it, or sent
    // something unasked (a TLS close_notify, an error page). Checked before reuse, without
    // blocking, so a request is not written into a connection that is already gone.
    bool peer_gone();

private:
    std::unique_ptr<boost::beast::tcp_stream> plain_;
    std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
    boost::beast::flat_buffer buffer_;
};

struct Opened {
    std::unique_ptr<Connection> connection;  // null on error
    StepError error;
    bool tcp_connected = false;  // a TCP connection was made (counted in ClientStats)
};

// Resolve, connect, tunnel through `proxy` when set, then TLS for https endpoints, all before
// `deadline`.
boost::asio::awaitable<Opened> open_connection(
    boost::asio::any_io_executor executor,
    boost::asio::ssl::context& ssl,
    Endpoint endpoint,
    std::optional<ProxyTarget> proxy,
    Deadline deadline
);

struct Exchange {
    StepError error;
    bool written = false;             // the whole request went out
    bool got_response_bytes = false;  // false: the peer vanished before answering (stale reuse)
    bool keep_alive = false;          // the connection may carry another request
    BeastResponse response;
};

// Writes `request` and reads one response with the body bounded by `max_body`. The caller has
// set the deadline on the connection.
boost::asio::awaitable<Exchange> exchange(
    Connection& connection, const BeastRequest& request, std::size_t max_body, std::string label
);

}  // namespace nra::http::detail
