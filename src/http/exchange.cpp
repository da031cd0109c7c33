#include <fmt/format.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdint>

#include "http/connection.hpp"

namespace nra::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;

Failure classify(const error_code& ec) {
    if (ec == beast::error::timeout) return Failure::timeout;
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
        ec == bhttp::error::buffer_overflow) {
        return Failure::too_large;
    }
    // The peer went away mid-message: a connection problem, worth a retry.
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
        return Failure::connect;
    }
    if (&ec.category() == &bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
        return Failure::protocol;
    }
    return Failure::connect;  // reset, broken pipe, TLS stream truncated, ...
}

template <class Stream>
asio::awaitable<Exchange> exchange_on(
    Stream& stream,
    beast::flat_buffer& buffer,
    const BeastRequest& request,
    std::size_t max_body,
    std::string label
) {
    Exchange out;
    error_code ec;
    co_await bhttp::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        out.error = {classify(ec), fmt::format("{}: write: {}", label, ec.message())};
        co_return out;
    }
    out.written = true;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_body);
    parser.header_limit(kHeaderLimit);
    if (request.method() == bhttp::verb::head) parser.skip(true);
    co_await bhttp::async_read(
        stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec)
    );
    out.got_response_bytes = parser.got_some() || buffer.size() != 0;
    if (ec) {
        out.error = {classify(ec), fmt::format("{}: read: {}", label, ec.message())};
        co_return out;
    }
    // Leftover bytes would be read as the next response: such a connection is not reusable.
    out.keep_alive = parser.get().keep_alive() && buffer.size() == 0;
    out.response = parser.release();
    co_return out;
}

}  // namespace

asio::awaitable<Exchange> exchange(
    Connection& connection, const BeastRequest& request, std::size_t max_body, std::string label
) {
    if (auto* tls = connection.tls()) {
        co_return co_await exchange_on(*tls, connection.buffer(), request, max_body, label);
    }
    co_return co_await exchange_on(connection.tcp(), connection.buffer(), request, max_body, label);
}

}  // namespace nra::http::detail
