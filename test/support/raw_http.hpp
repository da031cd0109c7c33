// One HTTP/1.1 exchange on a raw socket, for tests and benchmarks that hold many connections and
// need to see exactly when the server answers or closes.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

namespace nra::test {

// Writes `bytes` and reads one response: its status, or 0 when the server closed instead.
inline boost::asio::awaitable<int> raw_exchange_status(
    boost::asio::ip::tcp::socket& socket, std::string bytes
) {
    namespace asio = boost::asio;
    namespace bhttp = boost::beast::http;
    boost::system::error_code ec;
    co_await asio::async_write(
        socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec)
    );
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    if (!ec) {
        co_await bhttp::async_read(
            socket, buffer, response, asio::redirect_error(asio::use_awaitable, ec)
        );
    }
    co_return ec ? 0 : static_cast<int>(response.result_int());
}

}  // namespace nra::test
